// Keys that arrive in one read (key repeat, a slow SSH link, a paste) each act, in order; and the
// rough edges of #13 at 80×24: the help pages, stale sentences go, the details keep Boot and
// Address whole. The app runs on the fake client (below the rpc boundary; app.test.tsx crosses it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VMInfo } from '../../src/rpc/protocol.js';
import { App } from '../../src/ui/app.js';
import { plainTheme } from '../../src/ui/theme.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { ENTER, ESCAPE } from '../helpers/keys.js';
import { renderSized } from '../helpers/terminal.js';
import { threeVms } from '../helpers/uiFixtures.js';
import { waitForFrame } from '../helpers/wait.js';

/** The whole app at columns×rows on a fake helper; keys go in through `write`, one chunk each. */
function app(vms: VMInfo[] = threeVms(), columns = 80, rows = 24) {
  const fake = new FakeClient(vms).withFixtureSnapshots();
  const ui = renderSized(<App clientFactory={async () => fake.asClient()} theme={plainTheme} />, columns, rows);
  return {
    fake,
    write: ui.write,
    frame: () => ui.stdout.lastFrame() ?? '',
    until: (text: string | RegExp) => waitForFrame(ui.stdout.lastFrame, text),
    done: ui.unmount,
  };
}

test('jj in one chunk moves two rows, then k one back; every key of a chunk acts, in order', async () => {
  const a = app(threeVms(), 100, 30);
  try {
    await a.until(/^› dev /m);
    a.write('jj');
    await a.until(/^› zeta /m);
    a.write('kjk');
    await a.until(/^› installer /m);
  } finally {
    a.done();
  }
});

test('a pasted filter types whole, and Enter at its end keeps it', async () => {
  const a = app(threeVms(), 100, 30);
  try {
    await a.until(/^› dev /m);
    a.write('/ze\r');
    const frame = await a.until("Filter 'ze': 1 of 3 VMs");
    assert.match(frame, /^› zeta /m);
    assert.doesNotMatch(frame, /^ {2}dev /m);
  } finally {
    a.done();
  }
});

test('Backspace inside a pasted chunk erases, as it does alone', async () => {
  const a = app(threeVms(), 100, 30);
  try {
    await a.until(/^› dev /m);
    a.write('/zex\u007F\r');
    const frame = await a.until("Filter 'ze': 1 of 3 VMs");
    assert.match(frame, /^› zeta /m);
  } finally {
    a.done();
  }
});

test('a ✗ sentence goes when the selection moves or another screen opens; it never shows on another VM', async () => {
  const a = app();
  try {
    await a.until(/^› dev /m);
    a.write('j'); // installer, stopped
    await a.until(/^› installer /m);
    a.write('x');
    await a.until("✗ VM 'installer' is not running; there is nothing to stop.");
    a.write('j');
    let frame = await a.until(/^› zeta /m);
    assert.ok(!frame.includes('✗'), frame);
    a.write('kx'); // back to installer, the same mistake, then its details
    await a.until('✗ VM');
    a.write(ENTER);
    frame = await a.until(/^Boot {7}/m);
    assert.ok(!frame.includes('✗'), frame);
  } finally {
    a.done();
  }
});

test('news of one VM (not only a ✗) goes when the selection moves, so it is never read as another VM\'s', async () => {
  const a = app();
  try {
    await a.until(/^› dev /m);
    a.fake.changeState({ name: 'dev', state: 'stopped', reason: 'the guest powered off', time: '2026-12-05T00:00:00Z' });
    await a.until("VM 'dev' is stopped: the guest powered off.");
    a.write('j');
    const frame = await a.until(/^› installer /m);
    assert.ok(!frame.includes("VM 'dev' is stopped"), frame);
  } finally {
    a.done();
  }
});

test('at 80×24 the help shows a page at a time and Space, j and k move through it', async () => {
  const a = app();
  try {
    await a.until(/^› dev /m);
    // The footer cannot show every key: ? says it lists more.
    assert.match(a.frame(), /\? more keys {2}q quit/);
    a.write('?');
    let frame = await a.until(/more \(lines 1–\d+ of \d+\)/);
    const total = Number(/of (\d+)\)/.exec(frame)?.[1]);
    assert.ok(frame.includes('Close this help'), frame);
    assert.ok(!frame.includes('Clone the selected VM'), 'the clone key is further down');
    a.write(' ');
    frame = await a.until(/lines (?!1–)\d+–\d+ of/);
    a.write('          '); // Space, ten times in one chunk: to the last page, no further
    frame = await a.until(new RegExp(`back \\(lines \\d+–${total} of ${total}\\)`));
    assert.ok(frame.includes('Clone the selected VM'), frame);
    assert.ok(frame.split('\n').every((l) => l.length <= 80), frame);
    a.write(ESCAPE);
    await a.until(/^› dev /m);
  } finally {
    a.done();
  }
});

test('at 80 columns the details keep a long kernel path and the ssh command whole, over lines', async () => {
  const [dev, installer, zeta] = threeVms() as [VMInfo, VMInfo, VMInfo];
  const kernel = '/srv/images/linux/debian-13-generic-cloud-amd64-daily/boot/vmlinuz-6.12.0-27-cloud-amd64';
  const long: VMInfo = { ...installer, boot: { kind: 'kernel', kernel, cmdline: 'console=ttyS0 root=/dev/vda1' } };
  const a = app([dev, long, zeta]);
  try {
    await a.until(/^› dev /m);
    a.write(`j${ENTER}`);
    const frame = await a.until(/^Boot {7}kernel /m);
    const lines = frame.split('\n');
    assert.ok(lines.every((l) => l.length <= 80), frame);
    const at = lines.findIndex((l) => l.startsWith('Boot'));
    const boot = lines.slice(at, at + 3).map((l) => l.slice(11)).join(' ');
    assert.ok(boot.replace(/ /g, '').includes(kernel), boot);
    assert.ok(boot.includes('console=ttyS0 root=/dev/vda1'), boot);
    a.write(ESCAPE); // alone: Esc and a key in one chunk is Alt and that key
    await a.until(/^› installer /m);
    a.write(`k${ENTER}`); // dev: running, with an SSH forward
    const devFrame = await a.until(/^Address {4}ssh /m);
    const address = devFrame.split('\n').filter((l, i, all) => l.startsWith('Address') || all[i - 1]?.startsWith('Address')).join(' ');
    assert.ok(address.replace(/\s+/g, ' ').includes("ssh -p 40022 user@127.0.0.1 · 127.0.0.1:40022 forwards to the guest's port 22"), devFrame);
    assert.ok(devFrame.replace(/\s+/g, ' ').includes('MAC 52:54:00:12:34:56'), devFrame);
  } finally {
    a.done();
  }
});
