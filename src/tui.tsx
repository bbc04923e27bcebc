// The full-screen UI. Loaded only when vmtui runs without a command, so `vmtui list` and
// `vmtui --version` never pay for Ink and React.
import { render } from 'ink';
import { runSsh } from './commands/ssh.js';
import { UsageError } from './format/usageError.js';
import type { EarlyHelper } from './rpc/earlyHelper.js';
import { detectGraphics, knownGraphics } from './screen/detect.js';
import { drawOverlay, setOverlayTarget } from './screen/overlay.js';
import { App } from './ui/app.js';
import { themeFor } from './ui/theme.js';

/**
 * How long the first frame may wait for the host facts: they normally come while the UI loads; a
 * slow helper gets the usual "Starting the helper…" frame instead.
 */
const FIRST_FACTS_WAIT_MS = 250;

export async function runTui(helper: Pick<EarlyHelper, 'factory' | 'takeReady'>): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError("The vmtui UI needs a terminal; in scripts use commands such as 'vmtui list --json' (see 'vmtui --help').");
  }
  // The first frame does not wait for the terminal's graphics answer (a round trip over SSH); the app
  // reads no keys until it is in, so the answer never acts as keys.
  const graphics = knownGraphics() ?? detectGraphics(process.env, process.stdin, process.stdout);
  // The first frame shows the host facts when they are in: a frame without them and the next one
  // with them cost a render and Ink's frame interval more before the user sees them.
  const start = await helper.takeReady(FIRST_FACTS_WAIT_MS);
  setOverlayTarget(process.stdout);
  const instance = render(<App clientFactory={helper.factory} start={start} theme={themeFor(process.env)} graphics={graphics} openShell={(argv) => runSsh(argv)} />, {
    exitOnCtrlC: false, // Ctrl-C goes through the key map so the helper is shut down first
    interactive: true, // a terminal is a terminal, even when CI is set
    alternateScreen: true,
    // Only changed lines are written: a 1 Hz stats tick changes figures, not the whole screen.
    incrementalRendering: true,
    onRender: drawOverlay, // the screen view's kitty / iTerm2 / sixel picture, over Ink's blank cells
  });
  await instance.waitUntilExit();
}
