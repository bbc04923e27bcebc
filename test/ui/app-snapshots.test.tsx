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
import { flat, press, typeText, waitForAll, waitForGone, waitForText as waitForWords } from '../helpers/frames.js';

// The real helper answers slower than the fake: a longer ceiling.
const waitForText = (ui: ReturnType<typeof render>, text: string | RegExp) => waitForWords(ui, text, 15_000);
const waitForBoth = (ui: ReturnType<typeof render>, texts: Array<string | RegExp>) => waitForAll(ui, texts, 15_000);

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

test('S opens the snapshots screen: make two, restore the first, delete it, Esc back', async () => {
  const app = await appWithVm('alpha');
  const { ui } = app;
  try {
    await waitForText(ui, /^› alpha +linux +○ stopped/m);
    press(ui, 'S');
    await waitForText(ui, "VM 'alpha' has no snapshots yet; press n to make one.");
    await waitForText(ui, 'Esc back ? help q quit n new r restore d delete');
    press(ui, 'n');
    await waitForText(ui, "New snapshot of VM 'alpha'.");
    await typeText(ui, 'base', '> base█');
    press(ui, ENTER);
    await waitForText(ui, "Snapshot 'base': a note to remember it by");
    await typeText(ui, 'fresh install', '> fresh install█');
    press(ui, ENTER);
    // The sentence and the re-read tree may land in different renders: wait for both.
    let frame = await waitForBoth(ui, [/^› \* base +just now +\S+ +fresh install$/m, /Made snapshot 'base' of VM 'alpha' by (copy-on-write|a full sparse copy)/]);

    press(ui, 'c');
    await waitForText(ui, 'New snapshot');
    await typeText(ui, 'second', '> second█');
    press(ui, ENTER);
    await waitForText(ui, "Snapshot 'second'");
    press(ui, ENTER);
    await waitForBoth(ui, [/^› \* {3}second/m, /^ {4}base +just now/m]);

    press(ui, 'k');
    await waitForText(ui, /^› {3}base/m);
    press(ui, 'r');
    await waitForText(ui, "This discards the VM's current disk state: every change since snapshot 'second'.");
    press(ui, 'y');
    await waitForText(ui, "VM 'alpha' is back at snapshot 'base'");
    await waitForText(ui, /^› \* base/m);
    assert.equal((await app.other.listSnapshots('alpha')).current, 'base');

    press(ui, 'd');
    await waitForText(ui, "Its child 'second' is kept and becomes a top-level snapshot.");
    press(ui, 'y');
    // The child is a root now, once the tree is read again.
    frame = await waitForBoth(ui, ["Deleted snapshot 'base' of VM 'alpha'.", /^› {3}second/m]);
    assert.doesNotMatch(frame, /descends from/, 'the current snapshot went with it');
    const after = await app.other.listSnapshots('alpha');
    assert.deepStrictEqual(after.snapshots.map((s) => [s.name, s.parent]), [['second', null]]);

    press(ui, ESCAPE);
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
    press(ui, 'C');
    let frame = await waitForText(ui, "Clone VM 'alpha'.");
    assert.ok(flat(frame).includes('> alpha-clone█'), frame);
    assert.ok(flat(frame).includes('Enter ok Esc cancel'), 'the footer shows the prompt keys');
    await typeText(ui, ' x', '> alpha-clone x█');
    press(ui, ENTER);
    await waitForText(ui, "✗ 'alpha-clone x' cannot be the name of the new VM; use only letters, digits, '.', '_' and '-'.");
    // Another terminal takes a name the app does not know of yet: the helper's sentence shows, the name stays.
    await app.other.cloneVm('alpha', 'twin');
    press(ui, ...Array<string>('alpha-clone x'.length).fill(BACKSPACE));
    await typeText(ui, 'twin', '> twin█');
    press(ui, ENTER);
    frame = await waitForText(ui, "✗ A VM named 'twin' already exists");
    assert.ok(flat(frame).includes('> twin█'), frame);
    await typeText(ui, '2', '> twin2█');
    press(ui, ENTER);
    frame = await waitForBoth(ui, [
      /^› twin2 +linux +○ stopped/m,
      "VM 'alpha' was not running, so it was not paused.",
    ]);
    assert.match(flat(frame), /Cloned 'alpha' to 'twin2' by (copy-on-write \((reflink|clonefile)\)|a full sparse copy \(no copy-on-write on this file system\))\. VM 'alpha' was not running, so it was not paused\./);
    assert.ok(!flat(frame).includes("Clone VM 'alpha'."), 'the dialog closed');
    assert.deepStrictEqual((await app.other.listVms()).vms.map((v) => v.name).sort(), ['alpha', 'twin', 'twin2']);

    press(ui, 'C');
    frame = await waitForText(ui, "Clone VM 'twin2'.");
    press(ui, ESCAPE);
    await waitForGone(ui, 'Clone VM');
  } finally {
    await app.done();
  }
});
