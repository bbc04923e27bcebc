// The bundle's UI (dist/vmtui) in a pseudo-terminal made by script(1), run as users run it (not in
// tmux, NODE_ENV unset), with this test answering the graphics question as the terminal would.
import { spawn } from 'node:child_process';
import { GRAPHICS_QUERY } from '../../src/screen/graphics.js';
import { bundlePath as bundle, withThisNode } from './process.js';

/** Runs the UI; `answer` is what the terminal says to the graphics question (undefined: nothing). */
export function runPtyUi(env: NodeJS.ProcessEnv, answer: string | undefined) {
  const { TMUX: _tmux, NODE_ENV: _test, ...outside } = env;
  const child = spawn('script', ['-qfec', JSON.stringify(bundle), '/dev/null'], {
    env: withThisNode({ ...outside, TERM: 'xterm-256color', COLUMNS: '100', LINES: '30' }),
  });
  let out = '';
  let asked = -1;
  const seen = new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`no host facts in 60 s; the screen had: ${out.slice(-400)}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (asked < 0 && out.includes(GRAPHICS_QUERY)) {
        asked = out.indexOf(GRAPHICS_QUERY);
        if (answer !== undefined) child.stdin.write(answer);
      }
      if (/cores/.test(out)) {
        clearTimeout(deadline);
        resolve();
      }
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, seen, exited, output: () => out, askedAt: () => asked };
}
