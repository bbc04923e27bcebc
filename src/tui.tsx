// The full-screen UI. Loaded only when vmtui runs without a command, so `vmtui list` and
// `vmtui --version` never pay for Ink and React.
import { render } from 'ink';
import { runSsh } from './commands/ssh.js';
import { UsageError } from './format/usageError.js';
import type { HelperClientFactory } from './rpc/api.js';
import { detectGraphics } from './screen/detect.js';
import { drawOverlay, setOverlayTarget } from './screen/overlay.js';
import { App } from './ui/app.js';
import { themeFor } from './ui/theme.js';

export async function runTui(clientFactory: HelperClientFactory): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError("The vmtui UI needs a terminal; in scripts use commands such as 'vmtui list --json' (see 'vmtui --help').");
  }
  const graphics = await detectGraphics(process.env, process.stdin, process.stdout);
  setOverlayTarget(process.stdout);
  const instance = render(<App clientFactory={clientFactory} theme={themeFor(process.env)} graphics={graphics} openShell={(argv) => runSsh(argv)} />, {
    exitOnCtrlC: false, // Ctrl-C goes through the key map so the helper is shut down first
    interactive: true, // a terminal is a terminal, even when CI is set
    alternateScreen: true,
    // Only changed lines are written: a 1 Hz stats tick changes figures, not the whole screen.
    incrementalRendering: true,
    onRender: drawOverlay, // the screen view's kitty / iTerm2 / sixel picture, over Ink's blank cells
  });
  await instance.waitUntilExit();
}
