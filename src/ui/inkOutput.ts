// Ink's Output (ink/build/output.js: the grid each frame is drawn into) without an object per
// character. Ink's turns every write into one object per character, writes those into a grid of
// one object per cell, and turns each row back into text: at 50 VMs about 5 MiB a frame, three
// quarters of all the TUI allocates, and the young heap grew to 64 MiB to hold it. This keeps the
// grid as two arrays per row (the glyph and an interned style), reused from frame to frame, and
// makes the same text byte for byte: Ink's own functions decide every style, width and grapheme,
// and test/unit/inkOutput.test.ts draws random frames with both. The bundle uses it in place of
// Ink's (scripts/bundleOptions.mjs); unbundled runs keep Ink's own.
import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, styledCharsFromTokens, tokenize, type AnsiCode } from '@alcalzone/ansi-tokenize';
import stringWidth from 'string-width';

type Transformer = (line: string, index: number) => string;
interface Clip {
  x1?: number;
  x2?: number;
  y1?: number;
  y2?: number;
}
type Operation = { type: 'write'; x: number; y: number; text: string; transformers: Transformer[] } | { type: 'clip'; clip: Clip } | { type: 'unclip' };

/** A set of active ANSI codes, one object per distinct set, so equal styles compare with ===. */
class Style {
  readonly open: string;
  private readonly after = new Map<string, Style>();
  private readonly into = new Map<Style, string>();
  constructor(readonly codes: AnsiCode[]) {
    this.open = ansiCodesToString(codes);
  }
  /** Lets go of every style reached from this one. */
  forget(): void {
    this.after.clear();
    this.into.clear();
  }
  /** The style after the SGR sequence `sequence`. */
  then(sequence: string): Style {
    let next = this.after.get(sequence);
    if (next === undefined) {
      next = styleOf(reduceAnsiCodesIncremental(this.codes, sgrCodes(sequence)));
      this.after.set(sequence, next);
    }
    return next;
  }
  /** The codes that turn this style into `to` (what Ink's styledCharsToString writes between them). */
  to(to: Style): string {
    let codes = this.into.get(to);
    if (codes === undefined) {
      codes = ansiCodesToString(diffAnsiCodes(this.codes, to.codes));
      this.into.set(to, codes);
    }
    return codes;
  }
}

const styles = new Map<string, Style>();
const PLAIN = new Style([]);
const MAX_STYLES = 4096;

function styleOf(codes: AnsiCode[]): Style {
  if (codes.length === 0) return PLAIN;
  const key = codes.map((c) => `${c.code}\u0001${c.endCode}`).join('\u0002');
  let style = styles.get(key);
  if (style === undefined) {
    style = new Style(codes);
    styles.set(key, style);
  }
  return style;
}

/** An SGR sequence's codes, as Ink's tokenizer reads them. */
function sgrCodes(sequence: string): AnsiCode[] {
  return tokenize(sequence).filter((t): t is AnsiCode => t.type === 'ansi');
}

/** A line of cells: glyphs ('' behind a wide character's first cell; undefined for none) and styles. */
class Cells {
  glyphs: (string | undefined)[] = [];
  styles: Style[] = [];
  length = 0;
  push(glyph: string, style: Style): void {
    this.glyphs[this.length] = glyph;
    this.styles[this.length] = style;
    this.length++;
  }
}

const DEFAULT_IGNORABLE = /^\p{Default_Ignorable_Code_Point}+$/u;
const units: string[] = [];
/** One UTF-16 unit as a string, made once (V8 keeps only Latin-1 ones). */
const unit = (code: number) => (units[code] ??= String.fromCharCode(code));
const width = (glyph: string) => (glyph.length === 1 && glyph.charCodeAt(0) >= 0x20 && glyph.charCodeAt(0) < 0x7f ? 1 : stringWidth(glyph));

/**
 * Makes the Output class. `simple` matches text (with newlines and ESC) whose every UTF-16 unit is
 * a grapheme one column wide, never joined to its neighbours: such text is read unit by unit; any
 * other goes through Ink's own tokenizer.
 */
export function outputClass(simple: RegExp) {
  const read = new Cells();
  const kept = new Cells();
  const parts: string[] = [];

  /** Reads `text` into `into` as Ink's getStyledChars does (a '\n' cell for each newline). */
  function cellsOf(text: string, into: Cells): Cells {
    into.length = 0;
    if (!(simple.test(text) && readSimple(text, into))) readAny(text, into);
    return into;
  }

  /** Ink's own path: its tokenizer's styled characters, less standalone invisible ones. */
  function readAny(text: string, into: Cells): void {
    into.length = 0;
    for (const c of styledCharsFromTokens(tokenize(text))) if (!DEFAULT_IGNORABLE.test(c.value)) into.push(c.value, styleOf(c.styles));
  }

  /** Unit by unit; false when an ESC starts anything but an SGR sequence (then readAny reads it). */
  function readSimple(text: string, into: Cells): boolean {
    let style = PLAIN;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 0x1b) {
        into.push(unit(code), style);
        continue;
      }
      if (text.charCodeAt(i + 1) !== 0x5b) return false; // ESC [
      let end = i + 2;
      for (let c = text.charCodeAt(end); c === 0x3b || (c >= 0x30 && c <= 0x39); c = text.charCodeAt(++end));
      if (text.charCodeAt(end) !== 0x6d) return false; // m
      style = style.then(text.slice(i, end + 1));
      i = end;
    }
    return true;
  }

  /** Cells [from, to) of `cells` as text, as Ink's styledCharsToString writes them. */
  function textOf(cells: Cells, from = 0, to = cells.length): string {
    parts.length = 0;
    let previous: Style | undefined;
    for (let i = from; i < to; i++) {
      const glyph = cells.glyphs[i];
      if (glyph === undefined) continue;
      const style = cells.styles[i]!;
      if (previous === undefined) parts.push(style.open);
      else if (style !== previous) parts.push(previous.to(style));
      parts.push(glyph);
      previous = style;
    }
    if (previous !== undefined) parts.push(previous.to(PLAIN));
    return parts.join('');
  }

  /** Each line of `text` as text of its own, styles carried over newlines. */
  function linesOf(text: string): string[] {
    const cells = cellsOf(text, read);
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i <= cells.length; i++) {
      if (i < cells.length && cells.glyphs[i] !== '\n') continue;
      lines.push(textOf(cells, start, i));
      start = i + 1;
    }
    return lines;
  }

  /** Ink's sliceLineToColumns: the columns [from, to) of `line`, a wide character cut in two kept as a space. */
  function sliceLine(line: string, from: number, to: number): string {
    if (from >= to) return '';
    const cells = cellsOf(line, read);
    kept.length = 0;
    let column = 0;
    for (let i = 0; i < cells.length; i++) {
      const glyph = cells.glyphs[i]!;
      const w = width(glyph);
      const start = column;
      column += w;
      if (column <= from) continue;
      if (start >= to) break;
      kept.push(w > 1 && (start < from || column > to) ? ' ' : glyph, cells.styles[i]!);
    }
    return textOf(kept);
  }

  const intersect = (a: number | undefined, b: number | undefined, tighter: (a: number, b: number) => number) =>
    a === undefined ? b : b === undefined ? a : tighter(a, b);
  const intersectClips = (outer: Clip | undefined, inner: Clip): Clip =>
    outer === undefined
      ? inner
      : { x1: intersect(outer.x1, inner.x1, Math.max), x2: intersect(outer.x2, inner.x2, Math.min), y1: intersect(outer.y1, inner.y1, Math.max), y2: intersect(outer.y2, inner.y2, Math.min) };
  const isClipEmpty = (c: Clip) => (c.x1 !== undefined && c.x2 !== undefined && c.x1 >= c.x2) || (c.y1 !== undefined && c.y2 !== undefined && c.y1 >= c.y2);

  /** The frame's rows, reused: frames are drawn one at a time and get() returns text. */
  const grid: Cells[] = [];

  function writeLine(row: Cells, x: number, cells: Cells): void {
    const { glyphs } = row;
    let at = x;
    // A write landing on the second half of a wide character blanks its first half (styles kept).
    if (at > 0 && glyphs[at] === '' && width(glyphs[at - 1] ?? '') > 1) glyphs[at - 1] = ' ';
    for (let i = 0; i < cells.length; i++) {
      const glyph = cells.glyphs[i]!;
      const style = cells.styles[i]!;
      if (at >= 0) put(row, at, glyph, style);
      const w = Math.max(1, width(glyph));
      for (let o = 1; o < w; o++) if (at + o >= 0) put(row, at + o, at < 0 ? ' ' : '', style);
      at += w;
    }
    if (at >= 0 && glyphs[at] === '') glyphs[at] = ' ';
  }

  function put(row: Cells, at: number, glyph: string, style: Style): void {
    row.glyphs[at] = glyph;
    row.styles[at] = style;
    if (at >= row.length) row.length = at + 1;
  }

  return class Output {
    private readonly operations: Operation[] = [];
    readonly width: number;
    readonly height: number;

    constructor(options: { width: number; height: number }) {
      this.width = options.width;
      this.height = options.height;
    }

    write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void {
      if (text === '') return;
      this.operations.push({ type: 'write', x, y, text, transformers: options.transformers });
    }

    clip(clip: Clip): void {
      this.operations.push({ type: 'clip', clip });
    }

    unclip(): void {
      this.operations.push({ type: 'unclip' });
    }

    get(): { output: string; height: number } {
      if (styles.size > MAX_STYLES) {
        styles.clear();
        PLAIN.forget();
      }
      for (let y = 0; y < this.height; y++) {
        const row = (grid[y] ??= new Cells());
        row.glyphs.length = this.width;
        row.glyphs.fill(' ');
        row.styles.length = this.width;
        row.styles.fill(PLAIN);
        row.length = this.width;
      }
      const clips: Clip[] = [];
      for (const op of this.operations) {
        if (op.type === 'clip') clips.push(intersectClips(clips.at(-1), op.clip));
        else if (op.type === 'unclip') clips.pop();
        else this.apply(op, clips.at(-1));
      }
      const rows: string[] = [];
      for (let y = 0; y < this.height; y++) rows.push(textOf(grid[y]!).trimEnd());
      return { output: rows.join('\n'), height: this.height };
    }

    /** Ink's applyWriteOperation, step for step. */
    private apply(op: Extract<Operation, { type: 'write' }>, clip: Clip | undefined): void {
      const { text, transformers } = op;
      let { x, y } = op;
      let lines = linesOf(text);
      if (clip) {
        if (isClipEmpty(clip)) return;
        const clipX = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
        const clipY = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
        if (clipX) {
          const widest = Math.max(0, ...text.split('\n').map((l) => stringWidth(l)));
          if (x + widest < clip.x1! || x > clip.x2!) return;
        }
        if (clipY && (y + lines.length < clip.y1! || y > clip.y2!)) return;
        if (clipX) {
          const from = x < clip.x1! ? clip.x1! - x : 0;
          lines = lines.map((line) => {
            const w = stringWidth(line);
            return sliceLine(line, from, x + w > clip.x2! ? clip.x2! - x : w);
          });
          if (x < clip.x1!) x = clip.x1!;
        }
        if (clipY) {
          const from = y < clip.y1! ? clip.y1! - y : 0;
          const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
          lines = lines.slice(from, to);
          if (y < clip.y1!) y = clip.y1!;
        }
      }
      for (let index = 0; index < lines.length; index++) {
        if (y + index < 0 || y + index >= this.height) continue;
        let line = lines[index]!;
        for (const transform of transformers) line = transform(line, index + y - op.y);
        const cells = cellsOf(line, read);
        if (cells.length > 0) writeLine(grid[y + index]!, x, cells);
      }
    }
  };
}
