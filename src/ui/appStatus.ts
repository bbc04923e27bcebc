// What the app's frame says around the screens: the footer's status words while the helper starts
// or VMs change, the header's height, which keys take a sentence away, and why a live view
// (console, screen) cannot open.
import { clampLines, wrapWords } from '../format/text.js';
import type { VMInfo } from '../rpc/protocol.js';
import type { HelperState } from './hooks/useHelper.js';
import type { VmsState } from './hooks/useVms.js';
import { Command } from './keys.js';

export function statusLine(state: HelperState, vms?: VmsState): string | undefined {
  switch (state.status) {
    case 'starting':
      return 'Starting the helper…';
    case 'restarting':
      return 'Restarting the helper…';
    case 'initializing':
      return 'Connecting to the helper…';
    case 'readingHost':
      return 'Reading host facts…';
    case 'stopping':
      return 'Stopping the helper…';
    default:
      break;
  }
  const busy = Object.entries(vms?.pending ?? {});
  if (busy.length > 0) return busy.map(([name, op]) => `${name}: ${op}…`).join(', ');
  if (vms?.status === 'loading') return 'Loading VMs…';
  return undefined;
}

/** Lines the header takes: the title, then the facts and up to two note lines once known. */
export function headerHeight(state: HelperState, width: number): number {
  if (!state.host || !state.init) return 1;
  return 2 + clampLines(wrapWords(state.host.virtualization.note, width), 2, width).length;
}

/** Keys that move to another VM or screen: a sentence is about the one it came from. */
const movingCommands = new Set<Command>([
  Command.SelectUp, Command.SelectDown, Command.Details, Command.Back, Command.ToggleHelp, Command.CloseHelp,
  Command.Snapshots, Command.NewVm,
]);

export function movesAway(command: Command | undefined): boolean {
  return command !== undefined && movingCommands.has(command);
}

/** Why a VM's console or screen cannot open (it is not running; a screen needs a display), or undefined. */
export function liveViewProblem(kind: 'console' | 'screen', name: string, vm: VMInfo | undefined): string | undefined {
  if (!vm || vm.hostPid === undefined) {
    return kind === 'console'
      ? `VM '${name}' is not running, so its console is closed; start it with s first.`
      : `VM '${name}' is not running, so it has no screen to show; start it with s first.`;
  }
  if (kind === 'screen' && !vm.display) {
    return `VM '${name}' has no display; stop it, run 'vmtui configure ${name} --display 1280x800', and start it again.`;
  }
  return undefined;
}
