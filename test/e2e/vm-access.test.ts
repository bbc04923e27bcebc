// Guest access with the tiny guest (busybox, no sshd): busybox nc plays the SSH server (a banner
// on port 22) and the services forwards reach. One booted guest, shared by the checks in order:
// readiness, forwards (also changed while running), a taken port at start, reboot, power-off.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HelperRequestError } from '../../src/rpc/errors.js';
import { vmSshInfoRequest, type StateChangedParams, type VMInfo } from '../../src/rpc/protocol.js';
import { sshArgv } from '../../src/format/ssh.js';
import { cliPath } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { BOOT_TIMEOUT_MS, ConsoleWatch, guestParams, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
let vm: VMInfo;
let watch: ConsoleWatch;
const seen: StateChangedParams[] = [];

/** A loopback port free right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Connects to a forwarded port and reads until the peer closes; rejects when nothing listens. */
function readFrom(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => { text += chunk; });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer on port ${port} within 10 s`)));
  });
}

/** Types a line into the guest's shell and waits for the marker the shell prints after it (the
 * marker is computed by the shell, so the echo of the typed line does not match it). */
let step = 0;
async function run(command: string): Promise<void> {
  step++;
  await s.client.consoleWrite('acc', `${command}\r`);
  await s.client.consoleWrite('acc', `echo DONE-${step}-$((6*7))\r`);
  await watch.line(`DONE-${step}-42`, 30_000);
}

let forwardA = 0;
before(async () => {
  s = await vmSession();
  forwardA = await freePort();
  const created = await s.client.createVm(guestParams('acc', { forwards: [{ proto: 'tcp', hostAddress: '127.0.0.1', hostPort: forwardA, guestPort: 7777 }] }));
  assert.ok(created.ssh, 'a new VM has its SSH port at once');
  assert.equal(created.ssh.ready, false);
  s.client.onStateChanged((p) => { if (p.name === 'acc') seen.push(p); });
  vm = await s.client.startVm('acc');
  assert.equal(vm.ssh?.port, created.ssh.port, 'the port chosen at create is the one used');
  watch = await ConsoleWatch.attach(s.client, 'acc');
  await watch.line('VMTUI-GUEST-BOOTED');
  await watch.line('VMTUI-GUEST-IP', BOOT_TIMEOUT_MS);
  await watch.ready();
  // The init's console loop hands over to an interactive shell for the rest of the file.
  await s.client.consoleWrite('acc', 'sh\r');
  await run('true');
});

after(async () => {
  watch?.dispose();
  await s?.close();
});

test('SSH is ready only once a banner comes through the forward, and vm/sshInfo says where', async () => {
  assert.equal((await s.client.getVm('acc')).ssh?.ready, false, 'nothing listens on the guest port 22 yet');
  await run('nc -ll -p 22 -e echo SSH-2.0-tinyguest >/dev/null 2>&1 &');
  await waitFor(() => seen.some((p) => p.sshReady === true), 'a vm/stateChanged with sshReady true', 60_000);
  const info = await s.client.getVm('acc');
  assert.deepEqual(info.ssh && { ...info.ssh, user: undefined }, { host: '127.0.0.1', port: vm.ssh!.port, user: undefined, ready: true });
  const details = await s.client.request(vmSshInfoRequest, { name: 'acc' });
  assert.equal(details.port, vm.ssh!.port);
  assert.equal(details.ready, true);
  assert.match(details.knownHostsFile, /\/vms\/acc\/known_hosts$/);
  assert.ok(details.user.length > 0);

  // `vmtui ssh` once ready: a fake ssh (first on PATH; the tiny guest has no sshd) records the
  // argv it was given and exits 7, which vmtui passes through. The Debian test runs the real one.
  const bin = mkdtempSync(join(tmpdir(), 'vmtui-fake-ssh-'));
  try {
    const argsFile = join(bin, 'args');
    writeFileSync(join(bin, 'ssh'), '#!/bin/sh\nprintf "%s\\n" "$@" > "$FAKE_SSH_ARGS"\nexit 7\n', { mode: 0o755 });
    const status = await new Promise<number | null>((done) => {
      execFile(process.execPath, [cliPath, 'ssh', 'acc', '--', 'cat', '/etc/hostname'],
        { env: { ...s.home.env, PATH: `${bin}:${process.env.PATH ?? ''}`, FAKE_SSH_ARGS: argsFile } },
        (error) => done(error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : null) : 0));
    });
    assert.equal(status, 7);
    const argv = readFileSync(argsFile, 'utf8').trimEnd().split('\n');
    assert.deepEqual(argv, sshArgv(details, ['cat', '/etc/hostname']));
    assert.deepEqual(argv.slice(0, 2), ['-p', String(vm.ssh!.port)]);
    assert.ok(argv.includes(`UserKnownHostsFile=${details.knownHostsFile}`), argv.join(' '));
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});

test('forwards reach the ports the guest serves, and change while it runs', async () => {
  await run('nc -ll -p 7777 -e echo hello-7777 >/dev/null 2>&1 &');
  assert.equal((await waitFor(async () => (await readFrom(forwardA).catch(() => '')).includes('hello-7777') && 'ok', 'the forward to guest port 7777', 30_000)), 'ok');

  const forwardB = await freePort();
  const added = await s.client.configureVm({ name: 'acc', addForwards: [{ proto: 'tcp', hostAddress: '127.0.0.1', hostPort: forwardB, guestPort: 7778 }] });
  assert.deepEqual(added.forwards?.map((f) => f.hostPort), [forwardA, forwardB]);
  await run('nc -ll -p 7778 -e echo hello-7778 >/dev/null 2>&1 &');
  await waitFor(async () => (await readFrom(forwardB).catch(() => '')).includes('hello-7778'), 'the forward added while running', 30_000);

  const removed = await s.client.configureVm({ name: 'acc', removeForwards: [{ hostPort: forwardA }] });
  assert.deepEqual(removed.forwards?.map((f) => f.hostPort), [forwardB]);
  await assert.rejects(readFrom(forwardA), /ECONNREFUSED/);

  // A host port some program holds is refused with its name.
  const holder: Server = createServer();
  await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
  const taken = (holder.address() as { port: number }).port;
  try {
    await assert.rejects(
      s.client.configureVm({ name: 'acc', addForwards: [{ proto: 'tcp', hostAddress: '127.0.0.1', hostPort: taken, guestPort: 80 }] }),
      (e: unknown) => e instanceof HelperRequestError && /is in use by node \(pid \d+\)/.test(e.message),
    );
  } finally {
    await new Promise((done) => holder.close(done));
  }
});

test('a VM whose SSH port is taken at start says by what and how to pick another', async () => {
  const other = await s.client.createVm(guestParams('taken'));
  assert.notEqual(other.ssh?.port, vm.ssh?.port, 'each VM gets its own port');
  const holder = createServer();
  await new Promise<void>((done) => holder.listen(other.ssh!.port, '127.0.0.1', done));
  try {
    await assert.rejects(s.client.startVm('taken'), (e: unknown) =>
      e instanceof HelperRequestError &&
      new RegExp(`its SSH port 127\\.0\\.0\\.1:${other.ssh!.port} is in use by node \\(pid ${process.pid}\\).*vmtui configure taken --ssh-port PORT`).test(e.message));
  } finally {
    await new Promise((done) => holder.close(done));
  }
  const moved = await s.client.configureVm({ name: 'taken', sshPort: await freePort() });
  assert.notEqual(moved.ssh?.port, other.ssh?.port);
});

test('a reboot inside the guest passes through restarting, keeps the host, and SSH comes back on the same port', async () => {
  seen.length = 0;
  const fresh = await ConsoleWatch.attach(s.client, 'acc', false);
  try {
    await s.client.consoleWrite('acc', 'reboot -f\r');
    await waitFor(() => seen.some((p) => p.state === 'restarting'), 'the restarting state', 60_000);
    await waitFor(() => seen.some((p) => p.sshReady === false), 'SSH reported not ready after the reset', 30_000);
    await fresh.line('VMTUI-GUEST-BOOTED');
    await waitFor(async () => (await s.client.getVm('acc')).state === 'running', 'running again', 30_000);
    const again = await s.client.getVm('acc');
    assert.equal(again.hostPid, vm.hostPid, 'the same host');
    assert.equal(again.ssh?.port, vm.ssh?.port, 'the same SSH port');
    assert.deepEqual(seen.map((p) => p.state).filter((st, i, all) => all.indexOf(st) === i).slice(0, 2), ['restarting', 'running']);
    await fresh.line('VMTUI-GUEST-IP', BOOT_TIMEOUT_MS);
    await fresh.ready();
    await s.client.consoleWrite('acc', 'sh\r');
    watch.dispose();
    watch = fresh;
    await run('nc -ll -p 22 -e echo SSH-2.0-tinyguest >/dev/null 2>&1 &');
    await waitFor(() => seen.some((p) => p.sshReady === true), 'SSH ready again on the same port', 60_000);
  } finally {
    if (watch !== fresh) fresh.dispose();
  }
});

test('a power-off inside the guest stops the VM with the reason "the guest powered off"', async () => {
  seen.length = 0;
  await s.client.consoleWrite('acc', 'poweroff -f\r');
  await waitFor(() => seen.find((p) => p.state === 'stopped'), 'the stopped state', 60_000);
  const stopped = seen.find((p) => p.state === 'stopped' && p.reason);
  assert.equal(stopped?.reason, 'the guest powered off');
  const info = await waitFor(async () => { const v = await s.client.getVm('acc'); return v.hostPid === undefined && v; }, 'the host to exit', 20_000);
  assert.equal(info.state, 'stopped');
  assert.equal(info.stateReason, 'the guest powered off');
});
