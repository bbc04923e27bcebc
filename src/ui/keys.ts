// Keys are data: every command, its bindings and its words live here. The footer, the help
// overlay and the input handler all read this one table.
import type { Key } from 'ink';

export enum Command {
  ToggleHelp = 'toggleHelp',
  CloseHelp = 'closeHelp',
  Quit = 'quit',
}

export interface KeyBinding {
  /** The character typed, for printable keys. */
  input?: string;
  ctrl?: boolean;
  escape?: boolean;
  /** How the key is written for people: "q", "Ctrl-C", "Esc". */
  label: string;
}

export interface CommandInfo {
  bindings: KeyBinding[];
  /** Short word for the footer; absent = not shown there. */
  hint?: string;
  description: string;
}

export const keyMap: Record<Command, CommandInfo> = {
  [Command.ToggleHelp]: {
    bindings: [{ input: '?', label: '?' }],
    hint: 'help',
    description: 'Show or hide this help',
  },
  [Command.CloseHelp]: {
    bindings: [{ escape: true, label: 'Esc' }],
    description: 'Close this help',
  },
  [Command.Quit]: {
    bindings: [
      { input: 'q', label: 'q' },
      { input: 'c', ctrl: true, label: 'Ctrl-C' },
    ],
    hint: 'quit',
    description: 'Quit vmtui',
  },
};

function matches(binding: KeyBinding, input: string, key: Key): boolean {
  if (binding.escape) return key.escape;
  if (Boolean(binding.ctrl) !== key.ctrl) return false;
  return binding.input === input;
}

export function commandForKey(input: string, key: Key): Command | undefined {
  for (const [command, info] of Object.entries(keyMap) as [Command, CommandInfo][]) {
    if (info.bindings.some((b) => matches(b, input, key))) return command;
  }
  return undefined;
}

export interface KeyHint {
  keys: string;
  text: string;
}

export function footerHints(): KeyHint[] {
  return Object.values(keyMap)
    .filter((info) => info.hint !== undefined)
    .map((info) => ({ keys: info.bindings[0]?.label ?? '', text: info.hint ?? '' }));
}

export function helpEntries(): KeyHint[] {
  return Object.values(keyMap).map((info) => ({
    keys: info.bindings.map((b) => b.label).join(', '),
    text: info.description,
  }));
}
