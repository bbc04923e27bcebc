// vmtui in a real terminal: a tmux pane of a private tmux server (its socket in the test's temp
// home), running the bundle users run (dist/vmtui, its UI script) with the real helper. Keys go in with send-keys, the screen comes
// back with capture-pane.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import type { TempHome } from './home.js';
import { bundlePath, repoRoot } from './process.js';
import { waitFor } from './wait.js';

export interface Pane {
  capture(): Promise<string>;
  /** tmux key names: 'Enter', 'BSpace', 'Down', 'C-]', or single characters. */
  keys(...keys: string[]): Promise<void>;
  /** Text typed as it is (send-keys -l). */
  type(text: string): Promise<void>;
  /** The CLI's exit status, once it has exited. */
  status(): number | undefined;
  /** Waits until the screen shows the text; the error shows the last screen. */
  waitFor(text: string, timeoutMs?: number): Promise<string>;
}

export async function withTuiPane(home: TempHome, size: { columns: number; rows: number }, run: (pane: Pane) => Promise<void>): Promise<void> {
  const socket = join(home.home, 'tmux.sock');
  const statusFile = join(home.home, 'exit-status');
  const tmux = (...args: string[]) => execa('tmux', ['-S', socket, '-f', '/dev/null', ...args]);
  const vars: Record<string, string> = {
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    VMTUI_HOME: home.home,
    TERM: 'xterm-256color',
  };
  const exports = Object.entries(vars).map(([k, v]) => `export ${k}='${v}';`).join(' ');
  const script = `unset CI; ${exports} cd '${repoRoot}' && '${bundlePath}'; echo $? > '${statusFile}'`;
  const capture = async () => (await tmux('capture-pane', '-p', '-t', 'main')).stdout;
  try {
    await tmux('new-session', '-d', '-s', 'main', '-x', String(size.columns), '-y', String(size.rows), 'sh', '-c', script);
    await run({
      capture,
      keys: async (...keys) => void (await tmux('send-keys', '-t', 'main', ...keys)),
      type: async (text) => void (await tmux('send-keys', '-t', 'main', '-l', text)),
      status: () => (existsSync(statusFile) ? Number(readFileSync(statusFile, 'utf8').trim()) : undefined),
      waitFor: async (text, timeoutMs = 15_000) => {
        let last = '';
        try {
          return await waitFor(async () => {
            last = await capture();
            return last.includes(text) ? last : undefined;
          }, `the screen to show "${text}"`, timeoutMs, 100);
        } catch (error) {
          throw new Error(`${(error as Error).message}\nScreen:\n${last}`);
        }
      },
    });
  } finally {
    await execa('tmux', ['-S', socket, 'kill-server'], { reject: false });
  }
}
