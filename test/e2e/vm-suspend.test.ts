// Suspend and resume on QEMU, end to end with the tiny guest: the guest's memory survives (a counter
// kept in its RAM-only /tmp goes on, its uptime continues, the console loop answers), a snapshot of
// a suspended VM keeps the state, a state saved under another configuration is set aside with a
// sentence and the disk boots (so does one QEMU cannot load), and a failed or killed save leaves a
// VM that starts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HelperClient } from '../../src/rpc/client.js';
import { HelperRequestError } from '../../src/rpc/errors.js';
import { snapshotCreateRequest, snapshotRestoreRequest, suspendProgressNotification, vmSuspendRequest } from '../../src/rpc/protocol.js';
import { execa } from 'execa';
import { tempHome } from '../helpers/home.js';
import { repoRoot } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { ConsoleWatch, guestParams, isAlive, killHosts, vmSession, type VmSession } from './vm-support.js';

const small = { memoryBytes: 128 * 2 ** 20 };
const cli = join(repoRoot, 'dist/vmtui/bin.js');
/** The vmtui command, on this test's VMTUI_HOME. */
const vmtui = (args: string[]) => execa(process.execPath, [cli, ...args], { env: s.home.env, reject: false, stdin: 'ignore' });
let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

const bundle = (name: string) => join(s.home.home, 'vms', name);

/** Creates and starts a small tiny-guest VM and waits until its console loop answers. */
async function runningGuest(name: string): Promise<void> {
  await s.client.createVm(guestParams(name, small));
  await s.client.startVm(name);
  const watch = await ConsoleWatch.attach(s.client, name);
  await watch.ready();
  watch.dispose();
}

/** How many times the guest has booted, from console.log (kept across starts). */
const boots = (name: string) => readFileSync(join(bundle(name), 'console.log'), 'utf8').split('VMTUI-GUEST-BOOTED').length - 1;

/**
 * Runs one line in the guest's shell (opened with `sh` on the console) and returns its COUNT and UP.
 * The line is typed again every few seconds: a serial port may drop what is typed in the moment a
 * resumed guest takes up its interrupts again, as keys typed right after boot can be.
 */
async function readCounter(watch: ConsoleWatch, tag: string): Promise<{ count: number; up: number }> {
  const pattern = new RegExp(`^${tag} COUNT=(\\d+) UP=([\\d.]+)`, 'm');
  const deadline = Date.now() + 30_000;
  for (;;) {
    await watch.client.consoleWrite(watch.name, `echo "${tag} COUNT=$(cat /tmp/count) UP=$(cut -d' ' -f1 /proc/uptime)"\r`);
    try {
      const match = await waitFor(() => pattern.exec(watch.text.replace(/\r/g, '')) ?? undefined, `the guest to print ${tag}`, 3000);
      return { count: Number(match[1]), up: Number(match[2]) };
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${(error as Error).message} Its console ends: ${JSON.stringify(watch.text.slice(-300))}`);
    }
  }
}

test('suspend saves the guest, start resumes it where it was, and a snapshot of the suspended VM keeps the state', async () => {
  const name = 'sleepy';
  await s.client.createVm(guestParams(name, small));
  await s.client.startVm(name);
  let watch = await ConsoleWatch.attach(s.client, name);
  await watch.ready();
  // A shell in the guest with a counter in RAM only (tmpfs): a reboot would lose it.
  await s.client.consoleWrite(name, 'sh\r');
  await s.client.consoleWrite(name, 'i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 1; done &\r');
  await waitFor(async () => (await readCounter(watch, `T${Date.now()}`)).count >= 2, 'the counter to run', 30_000);
  const before = await readCounter(watch, 'BEFORE');

  // A save that cannot write its file fails with a sentence and leaves the guest running.
  mkdirSync(join(bundle(name), '.state.save.partial'));
  await assert.rejects(s.client.request(vmSuspendRequest, { name }), (error: unknown) => {
    assert.ok(error instanceof HelperRequestError);
    assert.match(error.message, /could not be suspended: .* It goes on running as before/);
    return true;
  });
  rmdirSync(join(bundle(name), '.state.save.partial'));
  assert.equal((await s.client.getVm(name)).state, 'running');
  assert.ok((await readCounter(watch, 'STILL')).count >= before.count);

  const progress: number[] = [];
  const sub = s.client.on(suspendProgressNotification, (p) => { if (p.name === name) progress.push(p.bytesDone); });
  const states: string[] = [];
  const stateSub = s.client.onStateChanged((p) => { if (p.name === name) states.push(p.state); });
  const suspended = await s.client.request(vmSuspendRequest, { name });
  sub.dispose();
  assert.equal(suspended.state, 'suspended');
  assert.match(suspended.stateReason ?? '', /its memory is saved in state\.save .*'vmtui start sleepy' resumes it/);
  assert.equal(suspended.hostPid, undefined);
  assert.ok(states.includes('saving'), `states seen: ${states.join(', ')}`);
  assert.ok(progress.length > 0, 'vm/suspendProgress was sent');
  assert.ok(statSync(join(bundle(name), 'state.save')).size > 1 << 20, 'the state file holds the guest memory');
  assert.ok(!existsSync(join(bundle(name), '.state.save.partial')));
  const listed = (await s.client.listVms()).vms.find((v) => v.name === name);
  assert.equal(listed?.state, 'suspended');
  // Suspended twice is said plainly.
  await assert.rejects(s.client.request(vmSuspendRequest, { name }), /Cannot suspend VM 'sleepy' while it is suspended/);

  const snap = await s.client.request(snapshotCreateRequest, { vm: name, name: 'asleep' });
  assert.equal(snap.savedState, true);

  watch.dispose();
  const resumed = await s.client.startVm(name);
  assert.equal(resumed.state, 'running');
  assert.equal(resumed.savedStateNote, undefined);
  watch = await ConsoleWatch.attach(s.client, name, false);
  const afterResume = await readCounter(watch, 'AFTER');
  assert.ok(afterResume.count >= before.count, `the counter went on: ${before.count} → ${afterResume.count}`);
  assert.ok(afterResume.up >= before.up, `the uptime went on: ${before.up} → ${afterResume.up}`);
  assert.ok(!existsSync(join(bundle(name), 'state.save')), 'the state is removed once resumed');
  await s.client.consoleWrite(name, 'exit\r');
  await watch.ready();

  // Restoring the snapshot gives a suspended VM again, which resumes from the snapshot's moment.
  await s.client.stopVm({ name, force: true });
  await s.client.request(snapshotRestoreRequest, { vm: name, name: 'asleep' });
  assert.equal((await s.client.getVm(name)).state, 'suspended');
  watch.dispose();
  assert.equal((await s.client.startVm(name)).savedStateNote, undefined);
  watch = await ConsoleWatch.attach(s.client, name, false);
  const fromSnapshot = await readCounter(watch, 'SNAP');
  assert.ok(fromSnapshot.count >= before.count && fromSnapshot.up >= before.up, `resumed from the snapshot: ${JSON.stringify(fromSnapshot)}`);
  stateSub.dispose();
  watch.dispose();
  await s.client.stopVm({ name, force: true });
});

test('a state saved under another configuration is set aside with a sentence, and the disk boots', async () => {
  const name = 'moved';
  await runningGuest(name);
  // Through the command a user types.
  const suspended = await vmtui(['suspend', name]);
  assert.equal(suspended.exitCode, 0, suspended.stderr);
  assert.match(suspended.stdout, /^VM 'moved' is suspended\. Suspended at .*: its memory is saved in state\.save \(.*\); 'vmtui start moved' resumes it\.$/);
  const again = await vmtui(['suspend', name]);
  assert.equal(again.exitCode, 4);
  assert.match(again.stderr, /VM 'moved' is suspended already; 'vmtui start moved' resumes it\./);

  // configure refuses to change the machine under a saved state, saying what to do.
  await assert.rejects(s.client.configureVm({ name, memoryBytes: 192 * 2 ** 20 }),
    /VM 'moved' is suspended.*memory size cannot change now\. Resume it with 'vmtui start moved'/);
  // Edited by hand instead: the state no longer fits.
  const configPath = join(bundle(name), 'config.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(configPath, JSON.stringify({ ...config, memoryBytes: 192 * 2 ** 20 }));

  const bootsBefore = boots(name);
  const started = await vmtui(['start', name]);
  assert.equal(started.exitCode, 0, started.stderr);
  assert.match(started.stdout, /^The saved state of VM 'moved' \(saved [^)]+\) was not resumed because it was saved under another configuration: the memory size \(134217728 → 201326592\) changed since; it was set aside as .*state\.discarded-[^ ]+ and the VM booted from its disk instead, as after a power cut\. Delete that file to free its space\.\n/);
  await waitFor(() => boots(name) > bootsBefore, 'the guest to boot from its disk', 120_000);
  const files = readdirSync(bundle(name));
  assert.ok(!files.includes('state.save') && !files.includes('state.json'), `files: ${files.join(' ')}`);
  assert.ok(files.some((f) => f.startsWith('state.discarded-') && !f.endsWith('.json')), `set aside: ${files.join(' ')}`);
  const details = await vmtui(['get', name]);
  assert.match(details.stdout, /Saved state +A saved state was set aside at .* because it was saved under another configuration: the memory size \(134217728 → 201326592\) changed since; it is kept as .*state\.discarded-/);
  await s.client.stopVm({ name, force: true });
});

test('a state QEMU cannot load is set aside with its words, and the disk boots', async () => {
  const name = 'garbled';
  await runningGuest(name);
  await s.client.request(vmSuspendRequest, { name });
  // Same size, so the record still matches: only QEMU can tell it is not a machine state.
  const state = join(bundle(name), 'state.save');
  writeFileSync(state, Buffer.alloc(statSync(state).size, 0x5a));
  const bootsBefore = boots(name);
  const started = await s.client.startVm(name);
  assert.equal(started.state, 'running');
  assert.match(started.savedStateNote ?? '', /was not resumed because the hypervisor could not load it \(.*QEMU said: .*\); it was set aside as /);
  await waitFor(() => boots(name) > bootsBefore, 'the guest to boot from its disk', 120_000);
  assert.ok(!existsSync(state));
  await s.client.stopVm({ name, force: true });
});

test('a VM with shared folders is refused with a sentence (their state is not saved) and runs on', async () => {
  const name = 'shared';
  const folder = join(s.home.home, 'shared-folder');
  mkdirSync(folder);
  await s.client.createVm(guestParams(name, { ...small, shares: [{ path: folder }] }));
  await s.client.startVm(name);
  const watch = await ConsoleWatch.attach(s.client, name);
  await watch.ready();
  await assert.rejects(s.client.request(vmSuspendRequest, { name }), /VM 'shared' could not be suspended: VM 'shared' has shared folders, whose state QEMU cannot save with the machine .* It goes on running as before/);
  assert.equal((await s.client.getVm(name)).state, 'running');
  assert.ok(!existsSync(join(bundle(name), 'state.save')));
  await watch.ready();
  watch.dispose();
  await s.client.stopVm({ name, force: true });
});

test('a save killed halfway leaves no state taken for valid, and the VM boots', async () => {
  // A slow save (QEMU's migration bandwidth capped) so the host can be killed in the middle of it.
  const home = await tempHome();
  home.env.VMTUI_SAVE_MAX_BANDWIDTH = String(1 << 20);
  const client = await HelperClient.start({ env: home.env });
  try {
    await client.initialize();
    const name = 'cut';
    await client.createVm(guestParams(name, small));
    const vm = await client.startVm(name);
    const watch = await ConsoleWatch.attach(client, name);
    await watch.ready();
    const dir = join(home.home, 'vms', name);
    const saving = client.request(vmSuspendRequest, { name }).then(() => 'answered', () => 'failed');
    await waitFor(() => existsSync(join(dir, '.state.save.partial')) && statSync(join(dir, '.state.save.partial')).size > 0,
      'the save to be under way', 30_000);
    process.kill(vm.hostPid!, 'SIGKILL');
    assert.equal(await saving, 'failed');
    await waitFor(() => !isAlive(vm.vmPid!), 'qemu to end with its host', 10_000);
    assert.ok(!existsSync(join(dir, 'state.save')), 'a half-written state is never the state');
    assert.notEqual((await client.getVm(name)).state, 'suspended');
    watch.dispose();
    await client.startVm(name);
    const again = await ConsoleWatch.attach(client, name, false);
    await again.line('VMTUI-GUEST-BOOTED');
    assert.ok(!existsSync(join(dir, '.state.save.partial')), 'the leftover is removed at the next start');
    again.dispose();
    await client.stopVm({ name, force: true });
  } finally {
    killHosts(home.home);
    await client.shutdown({ requestTimeoutMs: 2000, graceMs: 2000 }).catch(() => undefined);
    await home.remove();
  }
});
