// Sparklines, bars and block graphs as plain text. Pure, and every input is clamped: samples come
// from another process and a NaN, a negative or a 250 % must never break a row's width.

const SPARK = '▁▂▃▄▅▆▇█';
const BAR_EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
const GRAPH_EIGHTHS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
export const BAR_EMPTY = '░';

/** 0 … 100, or undefined for a value that says nothing (NaN, undefined). ±Infinity clamps. */
export function clampPercent(value: number | undefined): number | undefined {
  if (value === undefined || Number.isNaN(value)) return undefined;
  return Math.min(100, Math.max(0, value));
}

/** `value` as a percentage of `max`, clamped; a max that is not a positive number says nothing. */
export function percentOf(value: number | undefined, max: number): number | undefined {
  if (value === undefined || !(max > 0) || !Number.isFinite(max)) return undefined;
  return clampPercent((value / max) * 100);
}

/**
 * Fits a series into `cells` values, oldest first. Several samples per cell keep their peak (so a
 * short spike still shows); fewer samples than cells stretch. Missing samples stay undefined.
 */
export function fitSeries(values: readonly (number | undefined)[], cells: number): (number | undefined)[] {
  const n = values.length;
  const out: (number | undefined)[] = [];
  if (cells <= 0) return out;
  if (n === 0) return Array.from({ length: cells }, () => undefined);
  for (let i = 0; i < cells; i++) {
    if (n <= cells) {
      out.push(values[Math.floor((i * n) / cells)]);
      continue;
    }
    const from = Math.floor((i * n) / cells);
    const to = Math.max(from + 1, Math.floor(((i + 1) * n) / cells));
    let peak: number | undefined;
    for (let j = from; j < to; j++) {
      const v = values[j];
      if (v !== undefined && !Number.isNaN(v) && (peak === undefined || v > peak)) peak = v;
    }
    out.push(peak);
  }
  return out;
}

/** The last `count` samples, padded at the front with gaps when fewer exist. */
export function lastSamples(values: readonly number[], count: number): (number | undefined)[] {
  const kept: (number | undefined)[] = values.slice(Math.max(0, values.length - count));
  while (kept.length < count) kept.unshift(undefined);
  return kept;
}

/** One character per cell: ▁ (0) … █ (max); a space where there is no sample. */
export function sparkline(values: readonly (number | undefined)[], width: number, max = 100): string {
  return fitSeries(values, Math.max(0, Math.floor(width)))
    .map((v) => {
      const p = percentOf(v, max);
      return p === undefined ? ' ' : (SPARK[Math.round((p / 100) * (SPARK.length - 1))] ?? ' ');
    })
    .join('');
}

/** A horizontal bar `width` cells wide, filled in eighths, the rest ░. */
export function bar(percent: number | undefined, width: number): string {
  const w = Math.max(0, Math.floor(width));
  const eighths = Math.round(((clampPercent(percent) ?? 0) / 100) * w * 8);
  const full = Math.floor(eighths / 8);
  const part = BAR_EIGHTHS[eighths % 8] ?? '';
  return ('█'.repeat(full) + part).padEnd(w, BAR_EMPTY);
}

/**
 * A block graph `height` rows tall, one column per cell, top row first. A sample of 0 still
 * draws ▁ on the bottom row, so "idle" and "no sample" look different.
 */
export function blockGraph(values: readonly (number | undefined)[], width: number, height: number, max = 100): string[] {
  const columns = fitSeries(values, Math.max(0, Math.floor(width))).map((v) => {
    const p = percentOf(v, max);
    return p === undefined ? undefined : Math.max(1, Math.round((p / 100) * height * 8));
  });
  const rows: string[] = [];
  for (let r = 0; r < height; r++) {
    const floor = (height - 1 - r) * 8; // eighths below this row
    rows.push(
      columns
        .map((filled) => {
          if (filled === undefined || filled <= floor) return ' ';
          return GRAPH_EIGHTHS[Math.min(8, filled - floor) - 1] ?? '█';
        })
        .join(''),
    );
  }
  return rows;
}
