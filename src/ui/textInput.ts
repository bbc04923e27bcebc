// One line of typed text, edited key by key: what the prompts share.
import type { Key } from 'ink';

/** The text after this key, or undefined when the key is not an edit (Enter, Esc, arrows, Ctrl-…). */
export function editText(text: string, input: string, key: Key): string | undefined {
  if (key.backspace || key.delete) return text.slice(0, -1);
  if (key.ctrl || key.meta || input === '' || /[\u0000-\u001F\u007F]/.test(input)) return undefined;
  return text + input;
}
