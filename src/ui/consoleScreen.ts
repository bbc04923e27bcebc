// A serial console as lines of plain text: enough of a terminal for boot logs and shells
// (CR, LF, backspace, tab), with escape sequences dropped. Full-screen programs will not draw
// properly here; `vmtui console NAME` gives them the real terminal.

const ESC = '\u001B';
const BEL = '\u0007';

type EscapeState = 'none' | 'esc' | 'csi' | 'osc' | 'oscEsc';

export class ConsoleScreen {
  /** Finished lines, then the line being written (always at least one). */
  private lines: string[][] = [[]];
  private column = 0;
  private escape: EscapeState = 'none';

  constructor(readonly maxLines = 2000) {}

  write(text: string): void {
    for (const ch of text) this.put(ch);
    const extra = this.lines.length - this.maxLines;
    if (extra > 0) this.lines.splice(0, extra);
  }

  private put(ch: string): void {
    switch (this.escape) {
      case 'esc':
        this.escape = ch === '[' ? 'csi' : ch === ']' ? 'osc' : 'none';
        return;
      case 'csi':
        if (ch >= '@' && ch <= '~') this.escape = 'none'; // the final byte ends a CSI sequence
        return;
      case 'osc':
        if (ch === BEL) this.escape = 'none';
        else if (ch === ESC) this.escape = 'oscEsc';
        return;
      case 'oscEsc':
        this.escape = ch === '\\' ? 'none' : 'osc';
        return;
      case 'none':
        break;
    }
    const line = this.lines[this.lines.length - 1] ?? [];
    if (ch === ESC) this.escape = 'esc';
    else if (ch === '\n') {
      this.lines.push([]);
      this.column = 0;
    } else if (ch === '\r') this.column = 0;
    else if (ch === '\b') this.column = Math.max(0, this.column - 1);
    else if (ch === '\t') {
      const next = (Math.floor(this.column / 8) + 1) * 8;
      while (this.column < next) this.putChar(line, ' ');
    } else if (ch >= ' ' && ch !== '\u007F') this.putChar(line, ch);
  }

  private putChar(line: string[], ch: string): void {
    while (line.length < this.column) line.push(' ');
    line[this.column] = ch;
    this.column++;
  }

  /** The last `rows` screen lines, long lines wrapped at `width`. */
  view(rows: number, width: number): string[] {
    const out: string[] = [];
    const w = Math.max(1, width);
    for (let i = this.lines.length - 1; i >= 0 && out.length < rows; i--) {
      const text = (this.lines[i] ?? []).join('').trimEnd();
      const pieces: string[] = [];
      for (let at = 0; at < text.length; at += w) pieces.push(text.slice(at, at + w));
      if (pieces.length === 0) pieces.push('');
      out.unshift(...pieces.slice(-(rows - out.length)));
    }
    return out;
  }
}
