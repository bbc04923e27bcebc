// The UI's way in. bin.ts comes here (through uiEntry.ts) straight away when vmtui runs in a terminal
// with no command, so the commands (cli.ts and all they import) are never loaded before the UI's
// first frame.
import { startEarlyHelper } from './rpc/earlyHelper.js';
import { clientFactory, reporting } from './run.js';

/** Loads and runs the UI; in a terminal the helper is asked for the host facts while the UI loads. */
export async function startUi(): Promise<void> {
  const early = process.stdin.isTTY && process.stdout.isTTY ? startEarlyHelper(clientFactory) : undefined;
  // The questions go out before the UI's modules load: loading them holds the event loop for tens of
  // milliseconds, and the answers come meanwhile.
  await early?.asked;
  return (await import('./tui.js')).runTui(early ?? { factory: clientFactory, takeReady: async () => undefined });
}

/** startUi, with a failure reported as cli.ts reports one. */
export const runUi = (): Promise<void> => reporting(startUi);
