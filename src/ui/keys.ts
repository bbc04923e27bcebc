// Keys are data, in one table on purpose (so this file runs past 400 lines): every command, its bindings, the screens it works on and its words live here.
// The footer, the help overlay and the input handlers all read this one table.
import type { Key } from 'ink';

/** Where the keyboard is: each screen or dialog reads only its own commands. */
export type KeyContext =
  | 'dashboard' | 'help' | 'confirm' | 'prompt' | 'console' | 'filter' | 'detail' | 'snapshots' | 'input' | 'wizard'
  | 'screen';

export enum Command {
  SelectUp = 'selectUp',
  SelectDown = 'selectDown',
  Start = 'start',
  Stop = 'stop',
  PauseResume = 'pauseResume',
  Suspend = 'suspend',
  Delete = 'delete',
  Details = 'details',
  Console = 'console',
  Filter = 'filter',
  SortNext = 'sortNext',
  SortReverse = 'sortReverse',
  ClearFilter = 'clearFilter',
  KeepFilter = 'keepFilter',
  CancelFilter = 'cancelFilter',
  Back = 'back',
  ToggleHelp = 'toggleHelp',
  CloseHelp = 'closeHelp',
  HelpDown = 'helpDown',
  HelpUp = 'helpUp',
  HelpPageDown = 'helpPageDown',
  HelpPageUp = 'helpPageUp',
  Quit = 'quit',
  Confirm = 'confirm',
  Cancel = 'cancel',
  Submit = 'submit',
  CancelPrompt = 'cancelPrompt',
  Detach = 'detach',
  Snapshots = 'snapshots',
  Clone = 'clone',
  Ssh = 'ssh',
  SnapshotUp = 'snapshotUp',
  SnapshotDown = 'snapshotDown',
  SnapshotCreate = 'snapshotCreate',
  SnapshotRestore = 'snapshotRestore',
  SnapshotDelete = 'snapshotDelete',
  InputSubmit = 'inputSubmit',
  InputCancel = 'inputCancel',
  NewVm = 'newVm',
  WizardNext = 'wizardNext',
  WizardBack = 'wizardBack',
  WizardMove = 'wizardMove',
  WizardTab = 'wizardTab',
  WizardLeave = 'wizardLeave',
  Screen = 'screen',
  LeaveScreen = 'leaveScreen',
}

export type SpecialKey = 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown' | 'return' | 'escape' | 'tab';

export interface KeyBinding {
  /** The character typed, for printable keys (with ctrl: the letter or sign held with Ctrl). */
  input?: string;
  ctrl?: boolean;
  special?: SpecialKey;
  /** The raw bytes the terminal sends, for screens that read input unparsed (the console). */
  sequence?: string;
  /** How the key is written for people: "q", "Ctrl-C", "Esc", "↑". */
  label: string;
}

export interface CommandInfo {
  contexts: KeyContext[];
  bindings: KeyBinding[];
  /** Short word for the footer; absent = not shown there. */
  hint?: string;
  description: string;
}

export const keyMap: Record<Command, CommandInfo> = {
  [Command.SelectUp]: {
    contexts: ['dashboard'],
    bindings: [{ special: 'upArrow', label: '↑' }, { input: 'k', label: 'k' }],
    description: 'Select the VM above',
  },
  [Command.SelectDown]: {
    contexts: ['dashboard'],
    bindings: [{ special: 'downArrow', label: '↓' }, { input: 'j', label: 'j' }],
    description: 'Select the VM below',
  },
  [Command.Start]: {
    contexts: ['dashboard'],
    bindings: [{ input: 's', label: 's' }],
    hint: 'start',
    description: 'Start the selected VM',
  },
  [Command.Stop]: {
    contexts: ['dashboard'],
    bindings: [{ input: 'x', label: 'x' }],
    hint: 'stop',
    description: 'Stop the selected VM (asks first; x again: force it off)',
  },
  [Command.PauseResume]: {
    contexts: ['dashboard'],
    bindings: [{ input: 'p', label: 'p' }],
    hint: 'pause',
    description: 'Pause the selected VM, or resume it',
  },
  [Command.Delete]: {
    contexts: ['dashboard'],
    bindings: [{ input: 'd', label: 'd' }],
    hint: 'delete',
    description: 'Delete the selected VM (type its name to confirm)',
  },
  [Command.Details]: {
    contexts: ['dashboard'],
    bindings: [{ special: 'return', label: 'Enter' }],
    hint: 'details',
    description: "Details: graphs, settings, events, console",
  },
  [Command.Console]: {
    contexts: ['dashboard', 'detail'],
    bindings: [{ input: 'c', label: 'c' }],
    hint: 'console',
    description: "Open the VM's console",
  },
  [Command.Filter]: {
    contexts: ['dashboard'],
    bindings: [{ input: '/', label: '/' }],
    hint: 'filter',
    description: 'Filter by name, OS, state or address',
  },
  [Command.SortNext]: {
    contexts: ['dashboard'],
    bindings: [{ input: 'o', label: 'o' }],
    hint: 'sort',
    description: 'Sort by the next column',
  },
  [Command.SortReverse]: {
    contexts: ['dashboard'],
    bindings: [{ input: 'O', label: 'O' }],
    description: 'Reverse the sort',
  },
  [Command.ClearFilter]: {
    contexts: ['dashboard'],
    bindings: [{ special: 'escape', label: 'Esc' }],
    description: 'Clear the filter',
  },
  [Command.KeepFilter]: {
    contexts: ['filter'],
    bindings: [{ special: 'return', label: 'Enter' }],
    hint: 'keep',
    description: 'Filtering: keep the filter',
  },
  [Command.CancelFilter]: {
    contexts: ['filter'],
    bindings: [{ special: 'escape', label: 'Esc' }, { input: 'c', ctrl: true, label: 'Ctrl-C' }],
    hint: 'clear',
    description: 'Filtering: clear the filter',
  },
  [Command.Back]: {
    contexts: ['detail', 'snapshots'],
    bindings: [{ special: 'escape', label: 'Esc' }],
    hint: 'back',
    description: 'Details, snapshots: back to the dashboard',
  },
  [Command.NewVm]: {
    contexts: ['dashboard'],
    bindings: [{ input: 'n', label: 'n' }],
    hint: 'new',
    description: 'New VM: the install wizard (Linux ISO or macOS image)',
  },
  [Command.Suspend]: {
    contexts: ['dashboard'],
    bindings: [{ input: 'z', label: 'z' }],
    hint: 'suspend',
    description: 'Suspend the selected VM (saves its memory; s resumes it)',
  },
  [Command.ToggleHelp]: {
    contexts: ['dashboard', 'help', 'detail', 'snapshots'],
    bindings: [{ input: '?', label: '?' }],
    hint: 'help',
    description: 'Show or hide this help',
  },
  [Command.CloseHelp]: {
    contexts: ['help'],
    bindings: [{ special: 'escape', label: 'Esc' }],
    description: 'Close this help',
  },
  [Command.HelpDown]: {
    contexts: ['help'],
    bindings: [{ special: 'downArrow', label: '↓' }, { input: 'j', label: 'j' }],
    hint: 'scroll',
    description: 'Help: scroll down a line',
  },
  [Command.HelpUp]: {
    contexts: ['help'],
    bindings: [{ special: 'upArrow', label: '↑' }, { input: 'k', label: 'k' }],
    description: 'Help: scroll up a line',
  },
  [Command.HelpPageDown]: {
    contexts: ['help'],
    bindings: [{ special: 'pageDown', label: 'PgDn' }, { input: ' ', label: 'Space' }],
    description: 'Help: the next page',
  },
  [Command.HelpPageUp]: {
    contexts: ['help'],
    bindings: [{ special: 'pageUp', label: 'PgUp' }],
    description: 'Help: the previous page',
  },
  [Command.Quit]: {
    contexts: ['dashboard', 'help', 'detail', 'snapshots'],
    bindings: [
      { input: 'q', label: 'q' },
      { input: 'c', ctrl: true, label: 'Ctrl-C' },
    ],
    hint: 'quit',
    description: 'Quit vmtui (running VMs keep running)',
  },
  [Command.Confirm]: {
    contexts: ['confirm'],
    bindings: [{ input: 'y', label: 'y' }, { special: 'return', label: 'Enter' }],
    hint: 'yes',
    description: 'In a question: yes',
  },
  [Command.Cancel]: {
    contexts: ['confirm'],
    bindings: [{ input: 'n', label: 'n' }, { special: 'escape', label: 'Esc' }, { input: 'c', ctrl: true, label: 'Ctrl-C' }],
    hint: 'no',
    description: 'In a question: no',
  },
  [Command.Submit]: {
    contexts: ['prompt'],
    bindings: [{ special: 'return', label: 'Enter' }],
    hint: 'delete',
    description: 'When typing a name: confirm',
  },
  [Command.CancelPrompt]: {
    contexts: ['prompt'],
    bindings: [{ special: 'escape', label: 'Esc' }, { input: 'c', ctrl: true, label: 'Ctrl-C' }],
    hint: 'cancel',
    description: 'When typing a name: cancel',
  },
  [Command.Detach]: {
    contexts: ['console'],
    bindings: [{ input: ']', ctrl: true, sequence: '\u001D', label: 'Ctrl-]' }],
    hint: 'leave the console',
    description: 'Console: leave it; the VM keeps running',
  },
  [Command.Screen]: {
    contexts: ['dashboard', 'detail'],
    bindings: [{ input: 'v', label: 'v' }],
    description: "View the VM's screen and type into it",
  },
  [Command.LeaveScreen]: {
    contexts: ['screen'],
    bindings: [{ input: ']', ctrl: true, sequence: '\u001D', label: 'Ctrl-]' }],
    hint: 'leave the screen',
    description: 'Screen: leave it; other keys go to the guest',
  },
  [Command.Snapshots]: {
    contexts: ['dashboard'],
    bindings: [{ input: 'S', label: 'S' }],
    description: "Open the selected VM's snapshots",
  },
  [Command.Clone]: {
    contexts: ['dashboard'],
    bindings: [{ input: 'C', label: 'C' }],
    description: 'Clone the selected VM (asks for the new name)',
  },
  [Command.Ssh]: {
    contexts: ['dashboard', 'detail'],
    bindings: [{ input: 'h', label: 'h' }],
    description: 'Open an SSH session to the selected VM (vmtui ssh)',
  },
  [Command.SnapshotUp]: {
    contexts: ['snapshots'],
    bindings: [{ special: 'upArrow', label: '↑' }, { input: 'k', label: 'k' }],
    description: 'Snapshots: select the snapshot above',
  },
  [Command.SnapshotDown]: {
    contexts: ['snapshots'],
    bindings: [{ special: 'downArrow', label: '↓' }, { input: 'j', label: 'j' }],
    description: 'Snapshots: select the snapshot below',
  },
  [Command.SnapshotCreate]: {
    contexts: ['snapshots'],
    bindings: [{ input: 'n', label: 'n' }, { input: 'c', label: 'c' }],
    hint: 'new',
    description: 'Snapshots: make one now (asks for a name and a note)',
  },
  [Command.SnapshotRestore]: {
    contexts: ['snapshots'],
    bindings: [{ input: 'r', label: 'r' }],
    hint: 'restore',
    description: 'Snapshots: restore the selected one (stopped VM; asks first)',
  },
  [Command.SnapshotDelete]: {
    contexts: ['snapshots'],
    bindings: [{ input: 'd', label: 'd' }],
    hint: 'delete',
    description: 'Snapshots: delete the selected one (its children are kept)',
  },
  [Command.InputSubmit]: {
    contexts: ['input'],
    bindings: [{ special: 'return', label: 'Enter' }],
    hint: 'ok',
    description: 'When typing a new name or a note: confirm',
  },
  [Command.InputCancel]: {
    contexts: ['input'],
    bindings: [{ special: 'escape', label: 'Esc' }, { input: 'c', ctrl: true, label: 'Ctrl-C' }],
    hint: 'cancel',
    description: 'When typing a new name or a note: cancel',
  },
  [Command.WizardNext]: {
    contexts: ['wizard'],
    bindings: [{ special: 'return', label: 'Enter' }],
    hint: 'next',
    description: 'Wizard: accept this step and go on',
  },
  [Command.WizardBack]: {
    contexts: ['wizard'],
    bindings: [{ special: 'escape', label: 'Esc' }],
    hint: 'back',
    description: 'Wizard: back one step; while downloading: stop (asks)',
  },
  [Command.WizardMove]: {
    contexts: ['wizard'],
    bindings: [{ special: 'upArrow', label: '↑' }, { special: 'downArrow', label: '↓' }],
    description: 'Wizard: the choice or field above or below',
  },
  [Command.WizardTab]: {
    contexts: ['wizard'],
    bindings: [{ special: 'tab', label: 'Tab' }],
    hint: 'complete',
    description: 'Wizard: complete a file path; among sizes: the next field',
  },
  [Command.WizardLeave]: {
    contexts: ['wizard'],
    bindings: [{ input: 'c', ctrl: true, label: 'Ctrl-C' }],
    hint: 'leave',
    description: 'Wizard: leave (asks first while downloading or installing)',
  },
};

function matches(binding: KeyBinding, input: string, key: Key): boolean {
  if (binding.special) return key[binding.special];
  if (Boolean(binding.ctrl) !== key.ctrl) return false;
  return binding.input === input;
}

function commandsIn(context: KeyContext): [Command, CommandInfo][] {
  return (Object.entries(keyMap) as [Command, CommandInfo][]).filter(([, info]) => info.contexts.includes(context));
}

export function commandForKey(input: string, key: Key, context: KeyContext = 'dashboard'): Command | undefined {
  for (const [command, info] of commandsIn(context)) {
    if (info.bindings.some((b) => matches(b, input, key))) return command;
  }
  return undefined;
}

/** Where in raw terminal input a command's key sequence first appears (-1: nowhere). */
export function sequenceIndex(command: Command, data: string): number {
  const found = keyMap[command].bindings
    .map((b) => (b.sequence ? data.indexOf(b.sequence) : -1))
    .filter((i) => i !== -1);
  return found.length === 0 ? -1 : Math.min(...found);
}

export interface KeyHint {
  keys: string;
  text: string;
}

export function footerHints(context: KeyContext = 'dashboard'): KeyHint[] {
  return commandsIn(context)
    .filter(([, info]) => info.hint !== undefined)
    .map(([, info]) => ({ keys: info.bindings[0]?.label ?? '', text: info.hint ?? '' }));
}

/** Contexts whose keys only their own screen's help lists. */
const screenContexts: KeyContext[] = ['snapshots', 'input'];
/** The wizard shows its keys in its own footer; no help lists them. */
const footerOnlyContexts: KeyContext[] = ['wizard'];

/**
 * The help for a screen: the dashboard's lists every command except those of other screens;
 * another screen's lists its own (`screen`) and the text prompts'. No argument: every command.
 * The help's own keys (?, Esc, q) come first, so they are never the ones cut short.
 */
export function helpEntries(screen?: 'dashboard' | 'snapshots'): KeyHint[] {
  const shown = (info: CommandInfo) =>
    screen === undefined ||
    (screen === 'dashboard'
      ? !info.contexts.every((c) => screenContexts.includes(c) || footerOnlyContexts.includes(c))
      : info.contexts.some((c) => screenContexts.includes(c)));
  const all = Object.values(keyMap).filter(shown);
  const own = all.filter((info) => info.contexts.includes('help'));
  return [...own, ...all.filter((info) => !own.includes(info))].map((info) => ({
    keys: info.bindings.map((b) => b.label).join(', '),
    text: info.description,
  }));
}
