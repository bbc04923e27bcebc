// The install wizard screen driven like a person: the fake client stands in for the helper
// (the tmux end-to-end test walks the same screens with the real one), paths are a real temp folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { render } from 'ink-testing-library';
import { type InitializeResult } from '../../src/rpc/protocol.js';
import { Wizard } from '../../src/ui/components/wizard/Wizard.js';
import { fileSystemProbe } from '../../src/ui/pathCompletion.js';
import { plainTheme } from '../../src/ui/theme.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { flat, typeText } from '../helpers/frames.js';
import { ARROW_DOWN, ARROW_UP, BACKSPACE, CTRL_C, ENTER, ESCAPE, TAB } from '../helpers/keys.js';
import { waitFor, waitForFrame } from '../helpers/wait.js';
import { tempFolder } from '../helpers/home.js';
import { linuxHost, linuxInit, vmList } from '../helpers/uiFixtures.js';

const macInit: InitializeResult = { ...linuxInit, platform: 'macos', arch: 'arm64', backend: 'vz', capabilities: { ...linuxInit.capabilities, macosGuests: true } };
const host = linuxHost; // 2 cores, 24 GiB, 80 GiB free
const list = vmList; // dev, installer
const GiB = 2 ** 30;

const root = tempFolder('wizard-ui', { 'isos/debian-netinst.iso': 'x' });
const probe = fileSystemProbe(root, root);

function wizard(init = linuxInit) {
  const fake = new FakeClient(list.vms);
  const events: [string, ...unknown[]][] = [];
  const ui = render(
    <Wizard
      width={100}
      theme={plainTheme}
      client={fake.asClient()}
      init={init}
      host={host}
      probe={probe}
      taken={fake.vms.map((vm) => vm.name)}
      onClose={(text, isError) => events.push(['close', text, isError])}
      onChanged={() => events.push(['changed'])}
      onOpenConsole={(name) => events.push(['console', name])}
    />,
  );
  return { fake, ui, events };
}

const screen = (ui: ReturnType<typeof render>) => () => flat(ui.lastFrame());

/** On the Linux source step: the second choice, an installer ISO. */
async function chooseIso(ui: ReturnType<typeof render>): Promise<void> {
  await waitForFrame(screen(ui), '› A disk or cloud image (path or URL)');
  ui.stdin.write(ARROW_DOWN);
  await waitForFrame(screen(ui), '› An installer ISO image (path)');
}

async function clearField(ui: ReturnType<typeof render>, length: number): Promise<void> {
  for (let i = 0; i < length; i++) ui.stdin.write(BACKSPACE);
  await waitForFrame(screen(ui), '> █');
}

test('Linux from an ISO: macOS disabled with its reason, path and name checks, sizes against the host, summary, create, start', async () => {
  const { fake, ui, events } = wizard();
  try {
    let frame = await waitForFrame(screen(ui), 'New VM · 1 of 6 · Guest system');
    assert.match(frame, /› Linux +from a disk or cloud image, or installed from an ISO/);
    assert.match(frame, /macOS +\(unavailable\)/);
    assert.match(frame, /Why: macOS guests need Virtualization\.framework on an Apple silicon Mac; this host runs Linux with QEMU\./);
    ui.stdin.write(ARROW_DOWN);
    await waitForFrame(screen(ui), '› macOS');
    ui.stdin.write(ENTER);
    frame = await waitForFrame(screen(ui), '✗ macOS guests need');
    assert.match(frame, /1 of 5/, 'a disabled choice does not move on (macOS has no user step)');
    ui.stdin.write(ARROW_UP);
    ui.stdin.write(ENTER);
    await chooseIso(ui);

    await typeText(ui, 'isos/missing.iso');
    ui.stdin.write(ENTER);
    await waitForFrame(screen(ui), `✗ There is no file at ${join(root, 'isos', 'missing.iso')}; check the path (Tab completes names).`);
    await clearField(ui, 'isos/missing.iso'.length);
    await typeText(ui, 'isos');
    ui.stdin.write(ENTER);
    await waitForFrame(screen(ui), `is a folder; type the name of an ISO image inside it`);
    ui.stdin.write(TAB); // "isos" → "isos/"
    await waitForFrame(screen(ui), '> isos/█');
    ui.stdin.write(TAB); // the only file
    await waitForFrame(screen(ui), '> isos/debian-netinst.iso█');
    ui.stdin.write(ENTER);

    frame = await waitForFrame(screen(ui), '3 of 5 · Name');
    assert.match(frame, /> debian-netinst█/, 'the name is suggested from the ISO');
    await clearField(ui, 'debian-netinst'.length);
    await typeText(ui, 'dev');
    ui.stdin.write(ENTER);
    await waitForFrame(screen(ui), "✗ A VM named 'dev' already exists; pick another name.");
    await typeText(ui, '/x');
    ui.stdin.write(ENTER);
    await waitForFrame(screen(ui), "✗ 'dev/x' cannot be the name of the VM;");
    ui.stdin.write(BACKSPACE);
    ui.stdin.write(BACKSPACE);
    await typeText(ui, '-2');
    ui.stdin.write(ENTER);

    frame = await waitForFrame(screen(ui), '4 of 5 · CPUs, memory, disk');
    assert.match(frame, /› CPUs +2█ +of 2 cores/);
    assert.match(frame, /Memory +2G +of 24 GiB/);
    assert.match(frame, /Disk +16G +sparse; 80 GiB free/);
    ui.stdin.write(BACKSPACE);
    await typeText(ui, '3');
    ui.stdin.write(ARROW_DOWN);
    ui.stdin.write(BACKSPACE);
    ui.stdin.write(BACKSPACE);
    await typeText(ui, '256');
    ui.stdin.write(ENTER);
    frame = await waitForFrame(screen(ui), '✗ This host has 2 cores; give the VM at most 2 CPUs.');
    assert.match(frame, /✗ '256' has no unit for memory; write 256M or 256G \(or 256B for bytes\)\./);
    // The cursor went to the first field with a problem.
    ui.stdin.write(BACKSPACE);
    await typeText(ui, '1');
    ui.stdin.write(TAB);
    await typeText(ui, 'M');
    ui.stdin.write(TAB);
    for (let i = 0; i < 3; i++) ui.stdin.write(BACKSPACE);
    await typeText(ui, '64M');
    ui.stdin.write(ENTER);

    frame = await waitForFrame(screen(ui), '5 of 5 · Summary');
    assert.match(frame, /Guest +Linux, UEFI boot from the ISO as a CD/);
    assert.match(frame, new RegExp(`Source +ISO image ${join(root, 'isos', 'debian-netinst.iso')}`));
    assert.match(frame, /Name +dev-2/);
    assert.match(frame, /CPUs +1 of 2 cores/);
    assert.match(frame, /Memory +256 MiB of 24 GiB/);
    assert.match(frame, /Disk +64 MiB, sparse/);
    ui.stdin.write(ENTER);

    frame = await waitForFrame(screen(ui), "Created VM 'dev-2'. Start it now and open its console");
    assert.match(frame, /detach the ISO with 'vmtui configure dev-2 --detach-iso'/);
    assert.deepEqual(fake.calls.find(([c]) => c === 'createVm'), [
      'createVm',
      { name: 'dev-2', os: 'linux', cpuCount: 1, memoryBytes: 256 * 2 ** 20, diskBytes: 64 * 2 ** 20, boot: { kind: 'efi', iso: join(root, 'isos', 'debian-netinst.iso') } },
    ]);
    assert.ok(events.some(([e]) => e === 'changed'), 'the list is read again after create');
    ui.stdin.write('y');
    await waitFor(() => events.find(([e]) => e === 'console'), 'the console to open');
    assert.deepEqual(events.find(([e]) => e === 'console'), ['console', 'dev-2']);
    assert.ok(fake.calls.some(([c, name]) => c === 'startVm' && name === 'dev-2'));
  } finally {
    ui.unmount();
  }
});

test('Esc goes back a step and keeps what was typed; from the first step it leaves', async () => {
  const { ui, events } = wizard();
  try {
    await waitForFrame(screen(ui), '1 of 6');
    ui.stdin.write(ENTER);
    await chooseIso(ui);
    await typeText(ui, 'isos/debian-netinst.iso');
    ui.stdin.write(ENTER);
    await waitForFrame(screen(ui), '3 of 5');
    ui.stdin.write(ESCAPE);
    await waitForFrame(screen(ui), '> isos/debian-netinst.iso█');
    ui.stdin.write(ESCAPE);
    await waitForFrame(screen(ui), '1 of 5');
    ui.stdin.write(ESCAPE);
    await waitFor(() => events.find(([e]) => e === 'close'), 'the wizard to close');
  } finally {
    ui.unmount();
  }
});

test('a path and Enter typed in one chunk (fast typing, a paste) still go on', async () => {
  const { ui } = wizard();
  try {
    await waitForFrame(screen(ui), '1 of 6');
    ui.stdin.write(ENTER);
    await chooseIso(ui);
    ui.stdin.write(`isos/debian-netinst.iso${ENTER}`);
    await waitForFrame(screen(ui), '> debian-netinst█');
  } finally {
    ui.unmount();
  }
});

test('macOS where ipsw/* is missing: the helper\'s sentence, not a hang', async () => {
  const { fake, ui } = wizard(macInit);
  fake.missingMethods.add('ipsw/list').add('ipsw/latest');
  try {
    await waitForFrame(screen(ui), '1 of 6');
    ui.stdin.write(ARROW_DOWN);
    ui.stdin.write(ENTER);
    const frame = await waitForFrame(screen(ui), 'could not look it up');
    assert.match(frame, /Downloaded images cannot be listed: The helper has no method 'ipsw\/list'; update vmtui and the helper together\./);
    ui.stdin.write(ENTER);
    await waitForFrame(screen(ui), "✗ The helper has no method 'ipsw/latest'; update vmtui and the helper together.");
  } finally {
    ui.unmount();
  }
});

/** Walks a macOS wizard to its summary with the latest image and small sizes. */
async function macToSummary(ui: ReturnType<typeof render>): Promise<string> {
  await waitForFrame(screen(ui), '1 of 6');
  ui.stdin.write(ARROW_DOWN);
  ui.stdin.write(ENTER);
  await waitForFrame(screen(ui), '› Latest macOS 15.1 (24B83) from Apple, 14 GiB');
  ui.stdin.write(ENTER);
  await waitForFrame(screen(ui), '> macos-15.1█');
  ui.stdin.write(ENTER);
  await waitForFrame(screen(ui), /› CPUs +2█/);
  ui.stdin.write(ENTER);
  return waitForFrame(screen(ui), '5 of 5 · Summary');
}

test('macOS latest: resume offered for a kept partial, progress screen, cancel asks first and keeps the partial', async () => {
  const { fake, ui } = wizard(macInit);
  fake.ipswImages = [
    { name: 'old.ipsw', path: '/cache/old.ipsw', sizeBytes: 13 * GiB, complete: true, url: 'https://x/old.ipsw' },
    { name: 'latest.partial', path: '/cache/latest.partial', sizeBytes: 3 * GiB, complete: false, url: fake.latest.url, totalBytes: 14 * GiB },
  ];
  try {
    const summary = await macToSummary(ui);
    assert.match(summary, /Source +latest macOS 15\.1 \(24B83\), downloaded from Apple, 14 GiB/);
    assert.match(summary, /Enter downloads the image, creates the VM and installs macOS\./);
    ui.stdin.write(ENTER);
    let frame = await waitForFrame(screen(ui), 'Part of this image was downloaded before (3 GiB of 14 GiB).');
    assert.match(frame, /› Resume the download/);
    assert.match(frame, /Start over \(deletes the partial file\)/);
    ui.stdin.write(ENTER);

    await waitFor(() => fake.download, 'the download to start');
    assert.equal(fake.calls.some(([c]) => c === 'deleteIpsw'), false, 'resuming keeps the partial');
    fake.ipswProgress({ url: fake.latest.url, phase: 'downloading', receivedBytes: 7 * GiB, totalBytes: 14 * GiB, bytesPerSecond: 50 * 2 ** 20, etaSeconds: 125 });
    frame = await waitForFrame(screen(ui), 'Downloading · 50% · 7 GiB of 14 GiB · 50 MiB/s · 2 min 5 s left');
    assert.match(frame, /Downloading macOS 15\.1 \(24B83\) from Apple/);
    assert.match(frame, /█+░+ +50%/);
    fake.ipswProgress({ url: 'https://other/x.ipsw', phase: 'downloading', receivedBytes: 1, totalBytes: 2, bytesPerSecond: 1, etaSeconds: 1 });

    ui.stdin.write(ESCAPE);
    frame = await waitForFrame(screen(ui), 'Stop the download? What has been downloaded so far is kept');
    assert.match(frame, /y\/Enter stop · n\/Esc\/Ctrl-C keep going/);
    ui.stdin.write('n');
    await waitForFrame(screen(ui), 'stops it (asks first)');
    ui.stdin.write(ESCAPE);
    await waitForFrame(screen(ui), 'Stop the download?');
    const listsBefore = fake.calls.filter(([c]) => c === 'listIpsw').length;
    ui.stdin.write('y');
    frame = await waitForFrame(screen(ui), 'Download stopped; the 7 GiB downloaded so far is kept, and the next download of this image resumes from it.');
    assert.match(frame, /5 of 5 · Summary/);
    await waitFor(() => fake.calls.filter(([c]) => c === 'listIpsw').length > listsBefore, 'the image list to be read again');
    assert.equal(fake.calls.some(([c]) => c === 'createVm'), false);
  } finally {
    ui.unmount();
  }
});

test('macOS: start over deletes the partial; download, create with the image, install progress, done', async () => {
  const { fake, ui, events } = wizard(macInit);
  fake.ipswImages = [{ name: 'latest.partial', path: '/c/latest.partial', sizeBytes: GiB, complete: false, url: fake.latest.url }];
  try {
    await macToSummary(ui);
    ui.stdin.write(ENTER);
    await waitForFrame(screen(ui), 'Part of this image was downloaded before (1 GiB).');
    ui.stdin.write(ARROW_DOWN);
    await waitForFrame(screen(ui), '› Start over');
    ui.stdin.write(ENTER);
    await waitFor(() => fake.download, 'the download to start');
    assert.deepEqual(fake.calls.find(([c]) => c === 'deleteIpsw'), ['deleteIpsw', 'latest.partial']);
    let frame = await waitForFrame(screen(ui), 'Connecting · 0 B');
    fake.download?.finish('/cache/UniversalMac_15.1.ipsw');
    await waitFor(() => fake.install, 'the install to start');
    assert.deepEqual(fake.calls.find(([c]) => c === 'createVm'), [
      'createVm',
      { name: 'macos-15.1', os: 'macos', cpuCount: 2, memoryBytes: 8 * GiB, diskBytes: 64 * GiB, boot: { kind: 'macos' }, ipsw: '/cache/UniversalMac_15.1.ipsw' },
    ]);
    fake.installProgress({ name: 'macos-15.1', fraction: 0.372, phase: 'installing' });
    frame = await waitForFrame(screen(ui), 'Installing macOS · 37% · installing');
    assert.match(frame, /Installing macOS into VM 'macos-15\.1'/);
    fake.install?.finish();
    await waitForFrame(screen(ui), "macOS is installed in VM 'macos-15.1'; start it with s.");
    ui.stdin.write(ENTER);
    await waitFor(() => events.find(([e]) => e === 'close'), 'the wizard to close');
    assert.deepEqual(events.find(([e]) => e === 'close'), ['close', "macOS is installed in VM 'macos-15.1'; start it with s.", undefined]);
  } finally {
    ui.unmount();
  }
});

test('a failed download goes back to the summary with the helper\'s sentence; nothing is created', async () => {
  const { fake, ui } = wizard(macInit);
  try {
    await macToSummary(ui);
    ui.stdin.write(ENTER);
    await waitFor(() => fake.download, 'the download to start');
    const { HelperRequestError } = await import('../../src/rpc/errors.js');
    fake.download?.fail(new HelperRequestError('ipsw/download', 1009, 'The disk holding /cache is full; free some space and try again. Nothing was changed.', { kind: 'diskFull', path: '/cache' }));
    const frame = await waitForFrame(screen(ui), '✗ The disk holding /cache is full');
    assert.match(frame, /5 of 5 · Summary/);
    assert.equal(fake.calls.some(([c]) => c === 'createVm'), false);
  } finally {
    ui.unmount();
  }
});

test('n on the dashboard opens the wizard; the VM list keeps updating underneath; Ctrl-C leaves', async () => {
  const { App } = await import('../../src/ui/app.js');
  const fake = new FakeClient(list.vms);
  const ui = render(<App clientFactory={async () => fake.asClient()} theme={plainTheme} pathProbe={probe} />);
  try {
    await waitForFrame(ui.lastFrame, /^› dev +linux +● running/m);
    ui.stdin.write('n');
    let frame = await waitForFrame(ui.lastFrame, 'New VM · 1 of 6');
    assert.match(frame, /Enter next {2}Esc back {2}Tab complete {2}Ctrl-C leave/);
    assert.equal(frame.includes('› dev'), false, 'the wizard has the screen');
    fake.changeState({ name: 'dev', state: 'stopped', time: '2026-11-26T00:00:00Z' }, { hostPid: undefined });
    ui.stdin.write(ENTER);
    await typeText(ui, 'q?s'); // letters are text in the wizard: no quit, no help, no start
    assert.equal(fake.calls.some(([c]) => c === 'shutdown' || c === 'startVm'), false);
    ui.stdin.write(CTRL_C);
    frame = await waitForFrame(ui.lastFrame, /^› dev +linux +○ stopped/m);
    assert.equal(frame.includes('New VM'), false);
  } finally {
    ui.unmount();
  }
});

test('sizes are checked against host/info read when the wizard opens, not when vmtui started', async () => {
  const fake = new FakeClient(list.vms);
  fake.hostInfo = async () => ({ ...host, freeDiskBytes: 10 * GiB });
  const ui = render(
    <Wizard width={100} theme={plainTheme} client={fake.asClient()} init={linuxInit} host={host} probe={probe} taken={[]}
      onClose={() => undefined} onChanged={() => undefined} onOpenConsole={() => undefined} />,
  );
  try {
    await waitForFrame(screen(ui), '1 of 6');
    ui.stdin.write(ENTER);
    await chooseIso(ui);
    ui.stdin.write(`isos/debian-netinst.iso${ENTER}`);
    await waitForFrame(screen(ui), '3 of 5');
    ui.stdin.write(ENTER);
    const frame = await waitForFrame(screen(ui), '4 of 5');
    assert.match(frame, /Disk +5G +sparse; 10 GiB free/, 'half the free space, since 16G does not fit');
  } finally {
    ui.unmount();
  }
});
