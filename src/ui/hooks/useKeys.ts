// Ink's useInput, with every key of a chunk acting. Ink hands text that arrives in one read ("jj"
// from key repeat or a slow SSH link, a paste) to its handlers as one input; a key table that
// compares single keys would drop it. Here each character is its own key, in order.
import { useInput, type Key } from 'ink';

export type KeyHandler = (input: string, key: Key) => void;

/** The keys in one input from Ink: plain text split into characters (Enter and Tab among them). */
export function splitKeys(input: string, key: Key): [string, Key][] {
  const chars = Array.from(input);
  const special =
    key.ctrl || key.meta || key.escape || key.return || key.tab || key.backspace || key.delete ||
    key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end;
  if (chars.length <= 1 || special) return [[input, key]];
  return chars.map((c): [string, Key] => {
    const enter = c === '\r' || c === '\n';
    const tab = c === '\t';
    // DEL (what Backspace sends) inside a chunk erases, as it does alone.
    const backspace = c === '\u007F' || c === '\b';
    return [enter || tab || backspace ? '' : c, { ...key, return: enter, tab, backspace, shift: /^[A-Z]$/.test(c) }];
  });
}

export function useKeys(handler: KeyHandler, options: { isActive?: boolean } = {}): void {
  useInput((input, key) => {
    for (const [one, oneKey] of splitKeys(input, key)) handler(one, oneKey);
  }, options);
}
