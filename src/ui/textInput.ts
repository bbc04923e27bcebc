// The one text input: a line of typed text edited key by key, for every prompt (the dashboard's
// filter and delete prompt, the snapshot and clone names, the wizard's fields). Keys arrive one
// by one (useKeys splits a paste or fast typing), so a key is at most one character of text.
import type { Key } from 'ink';

/** The text a key types, or undefined for a key that types none (Enter, Esc, arrows, Ctrl-…, DEL). */
export function typedText(input: string, key: Key): string | undefined {
  if (key.ctrl || key.meta || input === '' || /[\u0000-\u001F\u007F]/.test(input)) return undefined;
  return input;
}

/** The text after this key, or undefined when the key is not an edit. */
export function editText(text: string, input: string, key: Key): string | undefined {
  if (key.backspace || key.delete) return text.slice(0, -1);
  const typed = typedText(input, key);
  return typed === undefined ? undefined : text + typed;
}
