// Pure text and layout helpers; tests call them directly.
import type { HostInfo, InitializeResult } from '../rpc/protocol.js';

const GiB = 1024 ** 3;

export function formatGiB(bytes: number): string {
  const gib = Math.max(0, bytes) / GiB;
  return `${gib >= 100 ? gib.toFixed(0) : gib.toFixed(1)} GiB`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Joins parts with a separator, dropping trailing parts that would overflow the width. */
export function joinToWidth(parts: string[], width: number, separator = ' · '): string {
  let line = '';
  for (const part of parts) {
    const next = line === '' ? part : line + separator + part;
    if (next.length > width) break;
    line = next;
  }
  if (line === '' && parts[0] !== undefined) return truncate(parts[0], width);
  return line;
}

export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : text.slice(0, Math.max(0, width - 1)) + '…';
}

/** The host facts in the order the header shows them, most important first. */
export function hostFacts(host: HostInfo, init: InitializeResult): string[] {
  return [
    `${host.chip} (${host.arch})`,
    plural(host.cpuCores, 'core'),
    `${formatGiB(host.memoryBytes)} memory`,
    `${init.backend} + ${host.virtualization.accelerator}`,
    `${formatGiB(host.freeDiskBytes)} free`,
  ];
}

/** Word-wraps text to the width; a word longer than the width is cut. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = truncate(word, width);
    else if (line.length + 1 + word.length <= width) line += ' ' + word;
    else {
      lines.push(line);
      line = truncate(word, width);
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Keeps at most `max` lines; when some are dropped, the last kept line ends in "…". */
export function clampLines(lines: string[], max: number, width: number): string[] {
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  const last = kept.at(-1) ?? '';
  kept[kept.length - 1] = (last.length < width ? last : last.slice(0, Math.max(0, width - 1))) + '…';
  return kept;
}

/** "45s", "12m 05s", "3h 04m", "2d 03h". */
export function formatUptime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.floor(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${two(Math.floor((s % 86_400) / 3600))}h`;
}

/** "34%"; "—" for a value that is not a number. */
export function formatPercent(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return `${Math.round(Math.min(9999, Math.max(0, value)))}%`;
}

/**
 * Orders names and paths: ASCII letters without regard to case, then by UTF-16 units. Not
 * localeCompare: ICU's collation pages in about 3 MiB of Node's binary for as long as the TUI runs,
 * and VM names are ASCII.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = foldCase(a.charCodeAt(i));
    const y = foldCase(b.charCodeAt(i));
    if (x !== y) return x - y;
  }
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const foldCase = (unit: number) => (unit >= 65 && unit <= 90 ? unit + 32 : unit);
