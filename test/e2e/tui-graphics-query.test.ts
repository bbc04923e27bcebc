// The UI in a terminal that is not tmux asks which graphics protocol it speaks. The question goes
// out as vmtui starts (before Ink has loaded), the answer is read before Ink takes the keyboard, and
// the dashboard draws host facts and quits on q. Real bundle (dist/vmtui), real helper, script(1)
// for the terminal, and this test answering as the terminal would.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { GRAPHICS_QUERY } from '../../src/screen/graphics.js';
import { VMTUI_VERSION } from '../../src/version.js';
import { tempHome } from '../helpers/home.js';
import { runPtyUi as runUi } from '../helpers/ptyUi.js';
import { waitFor } from '../helpers/wait.js';

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

test('a key typed before the terminal answers acts once the answer is in, and the answer does not act as keys', { timeout: 120_000 }, async () => {
  const home = await tempHome();
  try {
    const ui = runUi(home.env, undefined); // this terminal answers only after the first frame
    await ui.seen;
    // '?' and the answer in one read: the detection (or Ink, if its deadline has passed) takes the
    // answer out, and '?' reaches the keys either way.
    ui.child.stdin.write('?\u001B[?62;22c');
    await waitFor(() => ui.output().includes('Show or hide this help'), 'the help opened by ? typed before the answer', 15_000);
    ui.child.stdin.write('?');
    await sleep(300);
    ui.child.stdin.write('q');
    assert.equal(await ui.exited, 0, ui.output().slice(-400));
  } finally {
    await home.remove();
  }
});
