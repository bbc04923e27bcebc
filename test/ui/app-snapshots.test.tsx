// The snapshots screen and the clone dialog in the whole app, against the real helper (stopped
// VMs only: nothing boots here).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { HelperClient } from '../../src/rpc/client.js';
import { App } from '../../src/ui/app.js';
import { plainTheme } from '../../src/ui/theme.js';
import { tempHome, type TempHome } from '../helpers/home.js';
import { BACKSPACE, ENTER, ESCAPE } from '../helpers/keys.js';
import { waitFor } from '../helpers/wait.js';

interface Harness {
  ui: ReturnType<typeof render>;
  home: TempHome;
  /** A second helper on the same home, as another terminal. */
  other: HelperClient;
  done(): Promise<void>;
}

async function appWithVm(name: string): Promise<Harness> {
  const home = await tempHome();
  const kernel = `${home.home}/vmlinuz`;
  writeFileSync(kernel, 'not really a kernel'); // vm/create checks that the file exists; nothing boots here
  const other = await HelperClient.start({ env: home.env });
  await other.initialize();
  await other.createVm({ name, cpuCount: 1, memoryBytes: 256 * 1024 ** 2, diskBytes: 64 * 1024 ** 2, boot: { kind: 'kernel', kernel, cmdline: 'console=ttyS0' } });
  let created: HelperClient | undefined;
  const ui = render(<App clientFactory={async () => (created = await HelperClient.start({ env: home.env }))} theme={plainTheme} />);
  return {
    ui,
    home,
    other,
    done: async () => {
      ui.unmount();
      await created?.shutdown();
      await other.shutdown();
      await home.remove();
    },
  };
}

const flat = (frame: string | undefined) => (frame ?? '').replace(/[│┌┐└┘─]/g, ' ').replace(/\s+/g, ' ');

async function waitForText(ui: ReturnType<typeof render>, text: string | RegExp): Promise<string> {
  const seen = () => {
    const frame = ui.lastFrame() ?? '';
    return (typeof text === 'string' ? flat(frame).includes(text) : text.test(frame)) ? frame : undefined;
  };
  try {
    return await waitFor(seen, `the screen to show ${String(text)}`, 15_000);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nLast frame:\n${ui.lastFrame() ?? ''}`);
  }
}

async function type(ui: ReturnType<typeof render>, text: string): Promise<void> {
  for (const ch of text) ui.stdin.write(ch);
  await new Promise((done) => setTimeout(done, 20));
}

test('S opens the snapshots screen: make two, restore the first, delete it, Esc back', async () => {
  const app = await appWithVm('alpha');
  const { ui } = app;
  try {
    await waitForText(ui, /^› alpha +linux +○ stopped/m);
    ui.stdin.write('S');
    await waitForText(ui, "VM 'alpha' has no snapshots yet; press n to make one.");
    await waitForText(ui, 'Esc back ? help q quit n new r restore d delete');
    ui.stdin.write('n');
    await waitForText(ui, "New snapshot of VM 'alpha'.");
    await type(ui, 'base');
    ui.stdin.write(ENTER);
    await waitForText(ui, "Snapshot 'base': a note to remember it by");
    await type(ui, 'fresh install');
    ui.stdin.write(ENTER);
    let frame = await waitForText(ui, /^› \* base +just now +\S+ +fresh install$/m);
    assert.match(flat(frame), /Made snapshot 'base' of VM 'alpha' by (copy-on-write|a full sparse copy)/);

    ui.stdin.write('c');
    await waitForText(ui, 'New snapshot');
    await type(ui, 'second');
    ui.stdin.write(ENTER);
    await waitForText(ui, "Snapshot 'second'");
    ui.stdin.write(ENTER);
    frame = await waitForText(ui, /^› \* {3}second/m);
    assert.match(frame, /^ {4}base +just now/m);

    ui.stdin.write('k');
    await waitForText(ui, /^› {3}base/m);
    ui.stdin.write('r');
    await waitForText(ui, "This discards the VM's current disk state: every change since snapshot 'second'.");
    ui.stdin.write('y');
    await waitForText(ui, "VM 'alpha' is back at snapshot 'base'");
    await waitForText(ui, /^› \* base/m);
    assert.equal((await app.other.listSnapshots('alpha')).current, 'base');

    ui.stdin.write('d');
    await waitForText(ui, "Its child 'second' is kept and becomes a top-level snapshot.");
    ui.stdin.write('y');
    frame = await waitForText(ui, "Deleted snapshot 'base' of VM 'alpha'.");
    assert.match(frame, /^› {3}second/m, 'the child is a root now');
    assert.doesNotMatch(frame, /descends from/, 'the current snapshot went with it');
    const after = await app.other.listSnapshots('alpha');
    assert.deepStrictEqual(after.snapshots.map((s) => [s.name, s.parent]), [['second', null]]);

    ui.stdin.write(ESCAPE);
    frame = await waitForText(ui, /^› alpha +linux +○ stopped/m);
    assert.ok(!frame.includes('Snapshots of VM'), frame);
  } finally {
    await app.done();
  }
});

test('C clones the selected VM under the name typed, checks it first, keeps it through an error, and selects the new VM', async () => {
  const app = await appWithVm('alpha');
  const { ui } = app;
  try {
    await waitForText(ui, /^› alpha +linux +○ stopped/m);
    ui.stdin.write('C');
    let frame = await waitForText(ui, "Clone VM 'alpha'.");
    assert.ok(flat(frame).includes('> alpha-clone█'), frame);
    assert.ok(flat(frame).includes('Enter ok Esc cancel'), 'the footer shows the prompt keys');
    await type(ui, ' x');
    ui.stdin.write(ENTER);
    await waitForText(ui, "✗ 'alpha-clone x' cannot be the name of the new VM; use only letters, digits, '.', '_' and '-'.");
    // Another terminal takes a name the app does not know of yet: the helper's sentence shows, the name stays.
    await app.other.cloneVm('alpha', 'twin');
    for (let i = 0; i < 'alpha-clone x'.length; i++) ui.stdin.write(BACKSPACE);
    await type(ui, 'twin');
    ui.stdin.write(ENTER);
    frame = await waitForText(ui, "✗ A VM named 'twin' already exists");
    assert.ok(flat(frame).includes('> twin█'), frame);
    await type(ui, '2');
    ui.stdin.write(ENTER);
    frame = await waitForText(ui, /^› twin2 +linux +○ stopped/m);
    assert.match(flat(frame), /Cloned 'alpha' to 'twin2' by (copy-on-write \((reflink|clonefile)\)|a full sparse copy \(no copy-on-write on this file system\))\. VM 'alpha' was not running, so it was not paused\./);
    assert.ok(!flat(frame).includes("Clone VM 'alpha'."), 'the dialog closed');
    assert.deepStrictEqual((await app.other.listVms()).vms.map((v) => v.name).sort(), ['alpha', 'twin', 'twin2']);

    ui.stdin.write('C');
    frame = await waitForText(ui, "Clone VM 'twin2'.");
    ui.stdin.write(ESCAPE);
    await waitFor(() => !flat(ui.lastFrame()).includes('Clone VM'), 'the dialog to close');
  } finally {
    await app.done();
  }
});
