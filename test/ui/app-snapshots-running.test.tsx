// The snapshots screen and clone dialog for a running VM, and their pending states, against a
// fake client (FakeClient: fixture VMs, calls held until the test releases them). The real
// helper's side of the same screens is in app-snapshots.test.tsx and the tmux test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { copyProgressNotification, decodeVMListResult } from '../../src/rpc/protocol.js';
import { App } from '../../src/ui/app.js';
import { plainTheme } from '../../src/ui/theme.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { ENTER, ESCAPE } from '../helpers/keys.js';
import { flat, press, typeText, waitForAll, waitForGone, waitForText } from '../helpers/frames.js';

// dev (running), installer (stopped)
const list = decodeVMListResult(
  JSON.parse(readFileSync(new URL('../../../test/fixtures/protocol/vm-list.result.json', import.meta.url), 'utf8')).result,
  'result',
);

function startApp() {
  const fake = new FakeClient(list.vms);
  const ui = render(<App clientFactory={async () => fake.asClient()} theme={plainTheme} />);
  return { fake, ui };
}

test('a running VM: restore is refused with a sentence; a snapshot shows its progress, and Esc hides it while it goes on', async () => {
  const { fake, ui } = startApp();
  try {
    await waitForText(ui, /^› dev +linux +● running/m);
    press(ui, 'S');
    await waitForText(ui, "Snapshots of VM 'dev' · ● running");
    press(ui, 'n');
    await waitForText(ui, "New snapshot of VM 'dev' (it is paused for the copy and resumed).");
    await typeText(ui, 'live');
    press(ui, ENTER);
    await waitForText(ui, "Snapshot 'live': a note");
    const release = fake.hold();
    press(ui, ENTER);
    await waitForText(ui, "Making snapshot 'live'… (Esc hides this; the work goes on)");
    await waitForText(ui, "Making snapshot 'live'…");
    // A second change while one runs is turned away, not queued.
    press(ui, ESCAPE);
    await waitForGone(ui, 'Esc hides this');
    press(ui, 'n');
    await waitForText(ui, "✗ Making snapshot 'live' is still running; wait for it to finish.");
    release();
    // The sentence and the re-read tree may land in different renders.
    let frame = await waitForAll(ui, ["Made snapshot 'live' of VM 'dev' by copy-on-write (reflink); it uses 1 MiB.", /^› \* live +just now/m]);
    assert.deepStrictEqual(fake.calls.filter(([c]) => c === 'createSnapshot'), [['createSnapshot', { vm: 'dev', name: 'live' }]]);

    press(ui, 'r');
    frame = await waitForText(ui, "✗ VM 'dev' is running; stop it before restoring a snapshot (Esc, then x), since a restore replaces its disk.");
    assert.ok(!flat(frame).includes('Restore VM'), frame);
    press(ui, ESCAPE);
    await waitForText(ui, /^› dev +linux +● running/m);
  } finally {
    ui.unmount();
  }
});

test('cloning a running VM says it is paused for the copy, shows progress, then says it was resumed', async () => {
  const { fake, ui } = startApp();
  try {
    await waitForText(ui, /^› dev +linux +● running/m);
    press(ui, 'C');
    await waitForText(ui, 'It is running, so it is paused for the copy and resumed after it.');
    const release = fake.hold();
    press(ui, ENTER);
    await waitForText(ui, "Cloning 'dev' to 'dev-clone'…");
    await waitForText(ui, 'dev: cloning to dev-clone…');
    release();
    // The sentence comes with the clone's answer; the new row, selected, with the list read after
    // it (a render or more later): wait for the frame that has both.
    const frame = await waitForAll(ui, [
      "Cloned 'dev' to 'dev-clone' by copy-on-write (reflink). VM 'dev' was paused for the copy and resumed.",
      /^› dev-clone +linux +○ stopped/m,
    ]);
    assert.ok(!flat(frame).includes("Clone VM 'dev'."), frame);
  } finally {
    ui.unmount();
  }
});

test('a clone that copies data shows its progress line, and Esc stops it: the dialog says nothing was left', async () => {
  const { fake, ui } = startApp();
  try {
    await waitForText(ui, /^› dev +linux +● running/m);
    press(ui, 'C');
    await waitForText(ui, 'Name of the new VM:');
    fake.hold();
    press(ui, ENTER);
    await waitForText(ui, "Cloning 'dev' to 'dev-clone'… (Esc hides this; the work goes on)");
    fake.emit(copyProgressNotification, { vm: 'dev', operation: 'clone', name: 'dev-clone', doneBytes: 2 ** 30, totalBytes: 4 * 2 ** 30, bytesPerSecond: 2 ** 28, etaSeconds: 12 });
    await waitForText(ui, 'Copying the disk for the clone · 25% · 1 GiB of 4 GiB · 256 MiB/s · 12 s left (Esc stops it)');
    press(ui, ESCAPE);
    const frame = await waitForText(ui, "Stopped cloning VM 'dev'; no VM 'dev-clone' was made and nothing of the copy is left.");
    assert.ok(flat(frame).includes('Name of the new VM:'), 'the dialog stays open with the name, to try again');
    assert.ok(!/^› dev-clone/m.test(frame), frame);
  } finally {
    ui.unmount();
  }
});

test('a snapshot that copies data shows its progress, and Esc stops it with a sentence', async () => {
  const { fake, ui } = startApp();
  try {
    await waitForText(ui, /^› dev +linux +● running/m);
    press(ui, 'S');
    await waitForText(ui, "Snapshots of VM 'dev' · ● running");
    press(ui, 'n');
    await typeText(ui, 'big');
    press(ui, ENTER);
    await waitForText(ui, "Snapshot 'big': a note");
    fake.hold();
    press(ui, ENTER);
    await waitForText(ui, "Making snapshot 'big'…");
    fake.emit(copyProgressNotification, { vm: 'dev', operation: 'snapshot', name: 'big', doneBytes: 3 * 2 ** 30, totalBytes: 4 * 2 ** 30, bytesPerSecond: 0, etaSeconds: null });
    await waitForText(ui, 'Copying the disk for the snapshot · 75% · 3 GiB of 4 GiB · 0 B/s · time left unknown (Esc stops it)');
    press(ui, ESCAPE);
    await waitForText(ui, "Stopped making snapshot 'big' of VM 'dev'; no snapshot was made and nothing of the copy is left.");
    press(ui, ESCAPE);
    await waitForText(ui, "VM 'dev' has no snapshots yet");
  } finally {
    ui.unmount();
  }
});
