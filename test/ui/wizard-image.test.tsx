// The wizard's Linux path from a disk image, driven like a person, with the fake client standing in
// for the helper (test/e2e/tmux-wizard-image.test.ts walks it with the real one): the image path
// with Tab, the user and keys with their defaults, the disk left at the image's size, the params
// vm/create gets, image/progress on screen, Esc asks before stopping, then create, start, console.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { render } from 'ink-testing-library';
import { Wizard } from '../../src/ui/components/wizard/Wizard.js';
import { fileSystemProbe } from '../../src/ui/pathCompletion.js';
import { plainTheme } from '../../src/ui/theme.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { flat, typeText } from '../helpers/frames.js';
import { BACKSPACE, ENTER, ESCAPE, TAB } from '../helpers/keys.js';
import { waitFor, waitForFrame } from '../helpers/wait.js';
import { tempFolder } from '../helpers/home.js';
import { linuxHost, linuxInit, vmList } from '../helpers/uiFixtures.js';

const init = linuxInit;
const host = linuxHost; // 2 cores, 24 GiB, 80 GiB free
const list = vmList;
const GiB = 2 ** 30;
const MiB = 2 ** 20;

const root = tempFolder('wizard-image-ui', {
  'images/bookworm.qcow2': 'QFI',
  'keys/me.pub': 'ssh-ed25519 AAAA me@host\n',
  'keys/me': 'private key',
});

function wizard() {
  const fake = new FakeClient(list.vms);
  const events: [string, ...unknown[]][] = [];
  const ui = render(
    <Wizard width={100} theme={plainTheme} client={fake.asClient()} init={init} host={host} probe={fileSystemProbe(root, root)}
      taken={fake.vms.map((vm) => vm.name)} hostUser="alice"
      onClose={(text, isError) => events.push(['close', text, isError])} onChanged={() => events.push(['changed'])}
      onOpenConsole={(name) => events.push(['console', name])} />,
  );
  return { fake, ui, events, screen: () => flat(ui.lastFrame()) };
}

/** From the first step to the user and keys, through the image path (Tab completes it). */
async function toAccess(w: ReturnType<typeof wizard>): Promise<void> {
  const { ui, screen } = w;
  await waitForFrame(screen, 'New VM · 1 of 6 · Guest system');
  ui.stdin.write(ENTER);
  const frame = await waitForFrame(screen, '2 of 6 · Source');
  assert.match(frame, /› A disk or cloud image \(path or URL\) > █/);
  assert.match(frame, /An installer ISO image \(path\)/);
  assert.match(frame, /A kernel, and an initrd after a comma \(paths\)/);
  await typeText(ui, 'images/b');
  ui.stdin.write(TAB);
  await waitForFrame(screen, '> images/bookworm.qcow2█');
  ui.stdin.write(ENTER);
  await waitForFrame(screen, /3 of 6 · Name[^]*> bookworm█/);
  ui.stdin.write(ENTER);
  await waitForFrame(screen, '4 of 6 · User and SSH keys');
}

test('from a local image: defaults shown, a key file typed, progress while importing, then start and console', async () => {
  const w = wizard();
  const { fake, ui, events, screen } = w;
  try {
    await toAccess(w);
    let frame = screen();
    assert.match(frame, /› User \(gets the keys and passwordless sudo\): > alice█/, 'the host user is the default');
    assert.match(frame, /Empty: every ~\/\.ssh\/\*\.pub of your user \(the helper's default\)\./);
    ui.stdin.write(TAB);
    await waitForFrame(screen, '› SSH public key files, comma separated: > █');
    // A private key is refused with a sentence.
    await typeText(ui, 'keys/me');
    ui.stdin.write(ENTER);
    await waitForFrame(screen, `✗ ${join(root, 'keys', 'me')} does not end in .pub; name the public key, never the private one.`);
    await typeText(ui, '.pub');
    ui.stdin.write(ENTER);
    frame = await waitForFrame(screen, '5 of 6 · CPUs, memory, disk');
    assert.match(frame, /Disk +empty: the image's size; 80 GiB free/);
    ui.stdin.write(ENTER);
    const summary = await waitForFrame(screen, '6 of 6 · Summary');
    assert.match(summary, /Guest +Linux, UEFI boot from the image's own disk/);
    assert.match(summary, new RegExp(`Source +disk image ${join(root, 'images', 'bookworm.qcow2')}`));
    assert.match(summary, /User +alice \(SSH keys, passwordless sudo\)/);
    assert.match(summary, new RegExp(`SSH keys +${join(root, 'keys', 'me.pub')}`));
    assert.match(summary, /Disk +the image's own size, sparse/);
    ui.stdin.write(ENTER);
    await waitFor(() => fake.imageCreate, 'vm/create to be asked');
    assert.deepEqual(fake.imageCreate?.params, {
      name: 'bookworm', os: 'linux', cpuCount: 2, memoryBytes: 2 * GiB, image: join(root, 'images', 'bookworm.qcow2'), user: 'alice', sshKeyFiles: [join(root, 'keys', 'me.pub')],
    });
    await waitForFrame(screen, "Creating VM 'bookworm' from the image");
    fake.imageProgress({ name: 'bookworm', phase: 'importing', doneBytes: 512 * MiB, totalBytes: 2 * GiB, bytesPerSecond: 256 * MiB, etaSeconds: 6 });
    frame = await waitForFrame(screen, 'Importing the image · 25% · 512 MiB of 2 GiB · 256 MiB/s · 6 s left');
    assert.match(frame, /█+░+ +25%/);
    fake.imageProgress({ name: 'other', phase: 'importing', doneBytes: 1, totalBytes: 2, bytesPerSecond: 1, etaSeconds: 1 });
    fake.imageCreate?.finish();
    await waitForFrame(screen, "Created VM 'bookworm'. Start it now and open its console to watch it boot?");
    assert.equal(screen().includes('detach the ISO'), false, 'no ISO to detach');
    ui.stdin.write('y');
    await waitFor(() => events.find(([e]) => e === 'console'), 'the console to open');
    assert.deepEqual(events.find(([e]) => e === 'console'), ['console', 'bookworm']);
    assert.deepEqual(fake.calls.find(([c]) => c === 'startVm'), ['startVm', 'bookworm']);
  } finally {
    ui.unmount();
  }
});

test('from a URL with the default keys: download progress, Esc asks, a stop makes no VM and says so', async () => {
  const w = wizard();
  const { fake, ui, screen } = w;
  try {
    await waitForFrame(screen, '1 of 6');
    ui.stdin.write(ENTER);
    await waitForFrame(screen, '2 of 6 · Source');
    await typeText(ui, 'https://cloud.example.com/images/trixie.qcow2');
    ui.stdin.write(TAB); // a URL is taken as typed
    ui.stdin.write(ENTER);
    await waitForFrame(screen, /3 of 6 · Name[^]*> trixie█/);
    ui.stdin.write(ENTER);
    await waitForFrame(screen, '4 of 6');
    for (let i = 0; i < 'alice'.length; i++) ui.stdin.write(BACKSPACE);
    await typeText(ui, 'bob');
    ui.stdin.write(ENTER);
    await waitForFrame(screen, '5 of 6');
    ui.stdin.write(ENTER);
    const summary = await waitForFrame(screen, '6 of 6 · Summary');
    assert.match(summary, /SSH keys +every ~\/\.ssh\/\*\.pub of your user \(the helper's default\)/);
    ui.stdin.write(ENTER);
    await waitFor(() => fake.imageCreate, 'vm/create to be asked');
    assert.deepEqual(fake.imageCreate?.params, { name: 'trixie', os: 'linux', cpuCount: 2, memoryBytes: 2 * GiB, image: 'https://cloud.example.com/images/trixie.qcow2', user: 'bob' });
    fake.imageProgress({ name: 'trixie', phase: 'downloading', doneBytes: 300 * MiB, totalBytes: 600 * MiB, bytesPerSecond: 30 * MiB, etaSeconds: 10 });
    await waitForFrame(screen, 'Downloading · 50% · 300 MiB of 600 MiB · 30 MiB/s · 10 s left');
    ui.stdin.write(ESCAPE);
    await waitForFrame(screen, "Stop creating VM 'trixie'? No VM is made; a download keeps what arrived, and creating it again resumes from it.");
    ui.stdin.write('n');
    await waitForFrame(screen, 'stops it (asks first)');
    ui.stdin.write(ESCAPE);
    await waitForFrame(screen, "Stop creating VM 'trixie'?");
    ui.stdin.write('y');
    const frame = await waitForFrame(screen, "Stopped creating VM 'trixie'; no VM was made. What was downloaded is kept in the cache, and creating it again resumes from it.");
    assert.match(frame, /6 of 6 · Summary/);
    assert.equal(fake.vms.some((vm) => vm.name === 'trixie'), false);
  } finally {
    ui.unmount();
  }
});
