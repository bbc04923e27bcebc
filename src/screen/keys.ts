// Terminal input → key names of vm/sendKeys ("a", "Enter", "Up", "Ctrl-C", "Alt-x", "F5").
// Pure; the screen view feeds it what the terminal sent, Ctrl-] excepted (it leaves the view).

const sequences: Record<string, string> = {
  '\u001B[A': 'Up', '\u001B[B': 'Down', '\u001B[C': 'Right', '\u001B[D': 'Left',
  '\u001BOA': 'Up', '\u001BOB': 'Down', '\u001BOC': 'Right', '\u001BOD': 'Left',
  '\u001B[H': 'Home', '\u001B[F': 'End', '\u001BOH': 'Home', '\u001BOF': 'End',
  '\u001B[1~': 'Home', '\u001B[4~': 'End', '\u001B[2~': 'Insert', '\u001B[3~': 'Delete',
  '\u001B[5~': 'PageUp', '\u001B[6~': 'PageDown',
  '\u001BOP': 'F1', '\u001BOQ': 'F2', '\u001BOR': 'F3', '\u001BOS': 'F4',
  '\u001B[11~': 'F1', '\u001B[12~': 'F2', '\u001B[13~': 'F3', '\u001B[14~': 'F4',
  '\u001B[15~': 'F5', '\u001B[17~': 'F6', '\u001B[18~': 'F7', '\u001B[19~': 'F8',
  '\u001B[20~': 'F9', '\u001B[21~': 'F10', '\u001B[23~': 'F11', '\u001B[24~': 'F12',
  '\u001B[Z': 'Shift-Tab',
};
const longest = Math.max(...Object.keys(sequences).map((s) => s.length));

function single(ch: string): string | undefined {
  const code = ch.charCodeAt(0);
  if (ch === '\r' || ch === '\n') return 'Enter';
  if (ch === '\t') return 'Tab';
  if (code === 0x7f || code === 0x08) return 'Backspace';
  if (code === 0x1b) return 'Esc';
  if (code === 0) return 'Ctrl-Space';
  if (code < 0x20) return `Ctrl-${String.fromCharCode(code + 0x40).toLowerCase()}`; // Ctrl-A … Ctrl-_
  if (code >= 0x20 && code < 0x7f) return ch;
  return undefined; // non-ASCII: no US-keyboard key types it
}

/** The key names for one chunk of input, in order; bytes no key makes are skipped. */
export function inputToKeys(data: string): string[] {
  const keys: string[] = [];
  let i = 0;
  outer: while (i < data.length) {
    if (data[i] === '\u001B') {
      for (let len = Math.min(longest, data.length - i); len >= 2; len--) {
        const name = sequences[data.slice(i, i + len)];
        if (name) {
          keys.push(name);
          i += len;
          continue outer;
        }
      }
      // Esc then a key: Alt held with that key.
      const next = data[i + 1];
      if (next !== undefined && next !== '\u001B' && next !== '[' && next !== 'O') {
        const inner = single(next);
        if (inner) keys.push(`Alt-${inner}`);
        i += 2;
        continue;
      }
    }
    const name = single(data[i]!);
    if (name) keys.push(name);
    i += 1;
  }
  return keys;
}
