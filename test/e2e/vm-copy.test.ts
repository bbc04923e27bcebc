// Copies with progress and cancel, and disk growth, end to end (issue #16, parts 6 and 7). The home
// is on the temporary folder's file system, which here has no reflink (ext4): clones and snapshots
// are sparse copies, so they report progress and can be stopped. The CLI runs in a terminal
// (script(1)), where Ctrl-C reaches the helper too; the API tests cancel through $/cancelRequest.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openSync, closeSync, readdirSync, writeSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { execa } from 'execa';
import { HelperRequestError } from '../../src/rpc/errors.js';
import type { CopyProgressParams } from '../../src/rpc/protocol.js';
import { cliPath } from '../helpers/process.js';
import { withTuiPane } from '../helpers/tmuxPane.js';
import { waitFor } from '../helpers/wait.js';
import { ConsoleWatch, guestParams, vmSession, type VmSession } from './vm-support.js';

const MiB = 2 ** 20;
/** Data in the big VM's disk: enough that a copy takes a while on a busy machine. */
const DATA_MIB = 768;

let s: VmSession;
before(async () => {
  s = await vmSession();
  const fs = execFileSync('stat', ['-f', '-c', '%T', s.home.home], { encoding: 'utf8' }).trim();
  assert.ok(['ext2/ext3', 'tmpfs'].includes(fs), `these tests need a home without reflink (ext4 or tmpfs); ${s.home.home} is on ${fs}`);
  await s.client.createVm(guestParams('big', { diskBytes: 1024 * MiB }));
  // Non-zero data (all-zero blocks would stay holes and copy in no time).
  const fd = openSync(join(s.home.home, 'vms', 'big', 'disk.img'), 'r+');
  try {
    const block = Buffer.alloc(8 * MiB, 0xa5);
    for (let i = 0; i < DATA_MIB / 8; i++) writeSync(fd, block, 0, block.length, 4 * MiB + i * block.length);
  } finally {
    closeSync(fd);
  }
});
after(async () => {
  await s.close();
});

/** Hidden temporaries (.cloning-…, .creating-…, .restoring-…) and VMs in the home. */
function leftovers(): string[] {
  const vms = join(s.home.home, 'vms');
  const found = readdirSync(vms).filter((e) => e.startsWith('.'));
  for (const vm of readdirSync(vms).filter((e) => !e.startsWith('.'))) {
    found.push(...readdirSync(join(vms, vm)).filter((e) => e.startsWith('.') && e !== '.clone.lock').map((e) => `${vm}/${e}`));
    const snaps = join(vms, vm, 'snapshots');
    if (existsSync(snaps)) found.push(...readdirSync(snaps).filter((e) => e.startsWith('.') && e !== '.current.json').map((e) => `${vm}/snapshots/${e}`));
  }
  return found;
}

/** The CLI in a terminal of its own (script(1)): stdout and stderr are a tty, stdin types into it. */
function cliInTerminal(args: string[]) {
  const command = [process.execPath, cliPath, ...args].map((a) => `'${a}'`).join(' ');
  return execa('script', ['-qec', command, '/dev/null'], { env: { ...s.home.env, TERM: 'xterm' }, reject: false, stdin: 'pipe', all: true });
}

test('vmtui clone on a terminal shows the copy progress, and Ctrl-C stops it leaving nothing', { timeout: 10 * 60_000 }, async () => {
  const run = cliInTerminal(['clone', 'big', 'big-copy']);
  let output = '';
  run.all?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(() => /Copying the disk for the clone · \d+% · [\d.]+ [KMG]iB of [\d.]+ [KMG]iB/.test(output), 'a progress line', 5 * 60_000, 50);
  run.stdin?.write('\u0003'); // Ctrl-C as typed: SIGINT to the terminal's foreground group, the helper included
  const result = await run;
  const text = result.all ?? output;
  assert.notEqual(result.exitCode, 0, text);
  assert.match(text, /Stopped cloning VM 'big'; no VM 'big-copy' was made and nothing of the copy is left\./);
  assert.ok(!existsSync(join(s.home.home, 'vms', 'big-copy')), 'no clone was made');
  assert.deepEqual(leftovers(), [], 'no partial file or folder is left');
});

test('vmtui clone --json prints only its result, and the copy is complete', { timeout: 10 * 60_000 }, async () => {
  const result = await cliInTerminal(['clone', 'big', 'big-json', '--json']);
  assert.equal(result.exitCode, 0, result.all);
  const answer = JSON.parse((result.stdout ?? '').replace(/\r/g, '')) as { strategy: string; vm: { name: string } };
  assert.equal(answer.strategy, 'sparseCopy');
  assert.equal(answer.vm.name, 'big-json');
  assert.doesNotMatch(result.all ?? '', /Copying/, 'no progress line with --json');
  const copy = await s.client.getVm('big-json');
  assert.ok(copy.diskAllocatedBytes >= DATA_MIB * MiB, `the clone holds the data (${copy.diskAllocatedBytes} bytes allocated)`);
  await s.client.deleteVm('big-json');
});

/** Calls `run` with a signal aborted at the first copy/progress of `operation`; the progress seen is returned. */
async function cancelAtFirstProgress(operation: CopyProgressParams['operation'], run: (signal: AbortSignal) => Promise<unknown>): Promise<CopyProgressParams> {
  const controller = new AbortController();
  let seen: CopyProgressParams | undefined;
  const listening = s.client.onCopyProgress((p) => {
    if (p.operation !== operation || seen) return;
    seen = p;
    controller.abort();
  });
  try {
    await assert.rejects(run(controller.signal), (error: unknown) => error instanceof HelperRequestError && error.kind === 'cancelled');
  } finally {
    listening.dispose();
  }
  assert.ok(seen, 'a progress notification came before the cancel');
  assert.ok(seen.doneBytes < seen.totalBytes, `the copy was stopped part way (${seen.doneBytes} of ${seen.totalBytes})`);
  return seen;
}

test('a clone of a running VM stopped part way leaves nothing, and the VM runs on', { timeout: 10 * 60_000 }, async () => {
  await s.client.startVm('big');
  const console = await ConsoleWatch.attach(s.client, 'big', false);
  try {
    await console.line('VMTUI-GUEST-BOOTED');
    const seen = await cancelAtFirstProgress('clone', (signal) => s.client.cloneVm('big', 'live-copy', signal));
    assert.equal(seen.vm, 'big');
    assert.equal(seen.name, 'live-copy');
    assert.equal((await s.client.getVm('big')).state, 'running', 'the VM paused for the copy was resumed');
    await console.ready(); // the guest answers on its console again
    assert.ok(!existsSync(join(s.home.home, 'vms', 'live-copy')));
    assert.deepEqual(leftovers(), []);

    await cancelAtFirstProgress('snapshot', (signal) => s.client.createSnapshot({ vm: 'big', name: 'half' }, signal));
    assert.equal((await s.client.getVm('big')).state, 'running');
    assert.deepEqual((await s.client.listSnapshots('big')).snapshots, [], 'no snapshot was made');
    assert.deepEqual(leftovers(), []);
  } finally {
    console.dispose();
    await s.client.stopVm({ name: 'big', force: true, timeoutMs: 60_000 });
  }
});

test('a restore stopped part way leaves the VM as it was', { timeout: 10 * 60_000 }, async () => {
  await s.client.createSnapshot({ vm: 'big', name: 'full' });
  const before = execFileSync('sha256sum', [join(s.home.home, 'vms', 'big', 'disk.img')], { encoding: 'utf8' }).split(' ')[0];
  await cancelAtFirstProgress('restore', (signal) => s.client.restoreSnapshot('big', 'full', signal));
  const afterwards = execFileSync('sha256sum', [join(s.home.home, 'vms', 'big', 'disk.img')], { encoding: 'utf8' }).split(' ')[0];
  assert.equal(afterwards, before, "the VM's disk is untouched");
  assert.deepEqual(leftovers(), []);
  await s.client.deleteSnapshot('big', 'full');
});

test('in the TUI, the clone dialog shows the copy progress and Esc stops it, leaving nothing', { timeout: 10 * 60_000 }, async () => {
  await withTuiPane(s.home, { columns: 100, rows: 30 }, async (pane) => {
    await pane.waitFor('› big');
    await pane.keys('C');
    await pane.waitFor('> big-clone');
    await pane.keys('Enter');
    await pane.waitFor('(Esc stops it)', 5 * 60_000);
    assert.match(await pane.capture(), /Copying the disk for the clone · \d+% · /);
    await pane.keys('Escape');
    await pane.waitFor("Stopped cloning VM 'big'; no VM 'big-clone' was made", 60_000);
    await pane.keys('Escape');
    await pane.waitFor('Enter details');
    await pane.keys('q');
    assert.equal(await waitFor(() => pane.status(), 'vmtui to exit', 10_000), 0);
  });
  assert.ok(!existsSync(join(s.home.home, 'vms', 'big-clone')), 'no clone was made');
  assert.deepEqual(leftovers(), []);
});

/** The guest's idea of its disk in 512-byte sectors (through a shell on the console), and the marker at its start. */
async function guestDisk(name: string): Promise<{ sectors: number; marker: string }> {
  await s.client.startVm(name);
  const console = await ConsoleWatch.attach(s.client, name, false);
  try {
    await console.line('VMTUI-DISK-MARKER:');
    await console.ready();
    await s.client.consoleWrite(name, 'sh\r');
    await s.client.consoleWrite(name, 'echo "VMTUI-SIZE=$(cat /sys/block/vda/size)."\r');
    const found = await waitFor(() => /VMTUI-SIZE=(\d+)\./.exec(console.text)?.[1], 'the disk size from the guest', 60_000, 100);
    return { sectors: Number(found), marker: /VMTUI-DISK-MARKER: ?([^\r\n]*)/.exec(console.text)?.[1]?.trim() ?? '' };
  } finally {
    console.dispose();
    await s.client.stopVm({ name, force: true, timeoutMs: 60_000 });
  }
}

const configure = (...args: string[]) =>
  execa(process.execPath, [cliPath, 'configure', 'grow', ...args], { env: s.home.env, reject: false, stdin: 'ignore' });

test('configure --disk grows a stopped VM: refused while running and for a smaller size; the guest sees the new size and its data', { timeout: 10 * 60_000 }, async () => {
  await s.client.createVm(guestParams('grow'));
  const fd = openSync(join(s.home.home, 'vms', 'grow', 'disk.img'), 'r+');
  writeSync(fd, Buffer.from('kept-through-growth\n'), 0, undefined, 0);
  closeSync(fd);
  assert.deepEqual(await guestDisk('grow'), { sectors: (64 * MiB) / 512, marker: 'kept-through-growth' });

  await s.client.startVm('grow');
  const running = await configure('--disk', '128M');
  assert.notEqual(running.exitCode, 0);
  assert.match(running.stderr, /Cannot reconfigure VM 'grow' while it is running\./, running.stderr);
  await s.client.stopVm({ name: 'grow', force: true, timeoutMs: 60_000 });

  const smaller = await configure('--disk', '32M');
  assert.notEqual(smaller.exitCode, 0);
  assert.match(smaller.stderr, /Disks can only grow: VM 'grow' has 67108864 bytes \(64 MiB\) and 33554432 is smaller; give a larger size\./, smaller.stderr);

  const grown = await configure('--disk', '128M', '--json');
  assert.equal(grown.exitCode, 0, grown.stderr);
  assert.equal((JSON.parse(grown.stdout) as { diskBytes: number }).diskBytes, 128 * MiB);
  assert.deepEqual(await guestDisk('grow'), { sectors: (128 * MiB) / 512, marker: 'kept-through-growth' }, 'the guest sees the grown disk and its data');
});
