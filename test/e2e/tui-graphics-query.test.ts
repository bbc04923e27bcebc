// The UI in a terminal that is not tmux asks which graphics protocol it speaks. The question goes
// out as vmtui starts (before Ink has loaded), the answer is read before Ink takes the keyboard, and
// the dashboard draws host facts and quits on q. Real bundle (dist/vmtui), real helper, script(1)
// for the terminal, and this test answering as the terminal would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { GRAPHICS_QUERY } from '../../src/screen/graphics.js';
import { VMTUI_VERSION } from '../../src/version.js';
import { tempHome } from '../helpers/home.js';
import { repoRoot } from '../helpers/process.js';

const bundle = join(repoRoot, 'dist/vmtui/bin.js');

/** Runs the UI in a pty; `answer` is what the terminal says to the graphics question. */
function runUi(env: NodeJS.ProcessEnv, answer: string | undefined) {
  const { TMUX: _tmux, NODE_ENV: _test, ...outside } = env; // not inside tmux, run as users run it
  const child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)}`, '/dev/null'], {
    env: { ...outside, TERM: 'xterm-256color', COLUMNS: '100', LINES: '30' },
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

for (const [what, answer] of [
  ['a kitty terminal', '\u001B_Gi=31;OK\u001B\\\u001B[?62;22c'],
  ['a terminal that never answers (the deadline)', undefined],
] as const) {
  test(`the UI asks ${what} about graphics before its first frame, then draws host facts and quits on q`, { timeout: 120_000 }, async () => {
    const home = await tempHome();
    try {
      const ui = runUi(home.env, answer);
      await ui.seen;
      const firstFrame = ui.output().indexOf(`vmtui ${VMTUI_VERSION}`);
      assert.ok(ui.askedAt() >= 0, 'the graphics question was asked');
      assert.ok(ui.askedAt() < firstFrame, 'the question went out before the first frame');
      assert.equal(ui.output().split(GRAPHICS_QUERY).length, 2, 'the terminal is asked once');
      ui.child.stdin.write('q');
      assert.equal(await ui.exited, 0, ui.output().slice(-400));
    } finally {
      await home.remove();
    }
  });
}
