// One stuck per-VM host never stalls the others (PROTOCOL.md "Deadlines"), and can be ended.
// Real helper started with umask 000, two real QEMU guests: 'frozen' (its host gets SIGSTOP) and
// 'steady' (booted from a kernel reached through a symlink, which is allowed for input files).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { VMInfo } from '../../src/rpc/protocol.js';
import { ConsoleWatch, guestParams, isAlive, tinyGuest, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
let links: string;
const vmDir = (name: string) => join(s.home.home, 'vms', name);
/** Generous ceilings that catch a hang; the deadlines themselves are 3 s (queries). */
const QUERY_CEILING_MS = 10_000;

before(async () => {
  const old = process.umask(0);
  try { s = await vmSession(); } finally { process.umask(old); }
  links = mkdtempSync(join(tmpdir(), 'vmtui-kernel-link-'));
  const { kernel, initrd } = tinyGuest();
  symlinkSync(kernel, join(links, 'vmlinuz'));
  symlinkSync(initrd, join(links, 'initrd.gz'));
  await s.client.createVm(guestParams('frozen'));
  const steady = guestParams('steady');
  steady.boot = { kind: 'kernel', kernel: join(links, 'vmlinuz'), initrd: join(links, 'initrd.gz'), cmdline: 'console=ttyS0 panic=-1' };
  await s.client.createVm(steady);
  await Promise.all([s.client.startVm('frozen'), s.client.startVm('steady')]);
});
after(async () => {
  for (const name of ['frozen', 'steady']) {
    const pid = Number.parseInt(readFileSafe(join(vmDir(name), 'host.lock')), 10);
    if (pid > 0) try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ }
  }
  await s.close();
  rmSync(links, { recursive: true, force: true });
});

function readFileSafe(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}

/** A killed process may linger a moment as a zombie until it is reaped. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((done) => setTimeout(done, 50));
  return !isAlive(pid);
}

function mode(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  const value = await call();
  return { value, ms: Date.now() - start };
}

function events(name: string): { state: string; step?: string; reason?: string }[] {
  return readFileSync(join(vmDir(name), 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

test('with umask 000 the bundles are 0700 and the sockets, logs and configs 0600', () => {
  assert.equal(mode(join(s.home.home, 'vms')), '700');
  for (const name of ['frozen', 'steady']) {
    assert.equal(mode(vmDir(name)), '700', `${name}'s bundle`);
    for (const file of ['config.json', 'disk.img', 'control.sock', 'qmp.sock', 'console.log', 'events.jsonl', 'host.log', 'qemu.log', 'host.lock']) {
      assert.equal(mode(join(vmDir(name), file)), '600', `${name}/${file}`);
    }
  }
});

test('a frame header ending in bare LF gets an error from the host at once', async () => {
  const reply = await new Promise<string>((done, fail) => {
    const socket = connect(join(vmDir('steady'), 'control.sock'));
    let text = '';
    socket.on('data', (d) => { text += d.toString(); });
    socket.on('close', () => done(text));
    socket.on('error', fail);
    socket.write('Content-Length: 2\n\n{}');
    setTimeout(() => { socket.destroy(); done(text); }, QUERY_CEILING_MS).unref();
  });
  assert.match(reply, /bare LF/);
  assert.match(reply, /-32700/);
});

test('a SIGSTOPped host: list and get answer within the deadline, the other VM normally', async () => {
  const frozen = await s.client.getVm('frozen');
  assert.ok(frozen.hostPid);
  process.kill(frozen.hostPid, 'SIGSTOP');

  const list = await timed(() => s.client.listVms());
  assert.ok(list.ms < QUERY_CEILING_MS, `vm/list took ${list.ms} ms`);
  const byName = new Map<string, VMInfo>(list.value.vms.map((v) => [v.name, v]));
  assert.equal(byName.get('frozen')?.state, 'notAnswering');
  assert.match(byName.get('frozen')?.stateReason ?? '', new RegExp(`^not answering \\(pid ${frozen.hostPid}\\).*--force`));
  assert.equal(byName.get('steady')?.state, 'running', 'the other VM answers as usual');
  assert.ok(byName.get('steady')?.vmPid, 'with its qemu pid');

  const get = await timed(() => s.client.getVm('frozen'));
  assert.ok(get.ms < QUERY_CEILING_MS, `vm/get took ${get.ms} ms`);
  assert.equal(get.value.state, 'notAnswering');
  assert.equal((await s.client.getVm('steady')).state, 'running');
});

test('stop on a frozen host says it is not answering and suggests --force', async () => {
  const stop = timed(() => s.client.stopVm({ name: 'frozen' }));
  await assert.rejects(stop, (e: Error) => /not answering/.test(e.message) && /--force/.test(e.message));
});

test('requests that timed out while the host was frozen are not carried out after SIGCONT', async () => {
  const pid = (await s.client.getVm('frozen')).hostPid!;
  // Still frozen from the test before: pause is refused after the status query; keys typed into
  // the console are sent, time out, and wait in the socket.
  await assert.rejects(s.client.pauseVm('frozen'), /not answering/);
  await assert.rejects(s.client.consoleWrite('frozen', 'typed-while-frozen\r'), /not answering/);
  process.kill(pid, 'SIGCONT');
  // The host reads the queued requests now, finds their deadlines passed and drops them.
  let vm = await s.client.getVm('frozen');
  for (let i = 0; vm.state === 'notAnswering' && i < 50; i++) vm = await s.client.getVm('frozen');
  assert.equal(vm.state, 'running', 'never paused');
  const console = await ConsoleWatch.attach(s.client, 'frozen');
  await console.line('VMTUI-GUEST-BOOTED');
  await console.ready();
  await s.client.consoleWrite('frozen', 'typed-after\r');
  await console.line('ECHO: typed-after');
  assert.doesNotMatch(console.text, /typed-while-frozen/, 'the keys typed while frozen never reached the guest');
  assert.ok(!events('frozen').some((e) => e.state === 'pausing' || e.state === 'paused'), 'no pause was ever carried out');
  assert.match(readFileSync(join(vmDir('frozen'), 'host.log'), 'utf8'), /dropped 'console\/write', read \d+ ms after its deadline/);
  console.dispose();
});

test('stop --force ends a frozen host and its qemu within its deadline and records why', async () => {
  const vm = await s.client.getVm('frozen');
  const hostPid = vm.hostPid!, qemuPid = vm.vmPid!;
  process.kill(hostPid, 'SIGSTOP');
  const stop = await timed(() => s.client.stopVm({ name: 'frozen', force: true }));
  assert.ok(stop.ms < 30_000, `stop --force took ${stop.ms} ms`);
  assert.equal(stop.value.state, 'stopped');
  assert.ok(await gone(hostPid), 'the host is gone');
  assert.ok(await gone(qemuPid), 'its qemu is gone');
  const last = events('frozen').at(-1)!;
  assert.equal(last.step, 'killedHost');
  assert.match(last.reason ?? '', /stop --force.*not answering/);
  assert.equal((await s.client.getVm('steady')).state, 'running');
});

test('control.sock replaced by a regular file: shown as not answering, then stop --force ends it', async () => {
  const vm = await s.client.getVm('steady');
  const sock = join(vmDir('steady'), 'control.sock');
  unlinkSync(sock);
  writeFileSync(sock, 'not a socket\n');
  // A fresh session has no link yet, so it must reach the host through the socket path.
  const other = await s.connect();
  const seen = await other.getVm('steady');
  assert.equal(seen.state, 'notAnswering');
  assert.match(seen.stateReason ?? '', /control socket cannot be reached/);
  await assert.rejects(other.stopVm({ name: 'steady' }), /not answering.*--force/);
  const stopped = await other.stopVm({ name: 'steady', force: true });
  assert.equal(stopped.state, 'stopped');
  assert.ok(await gone(vm.hostPid!));
  assert.ok(await gone(vm.vmPid!));
  assert.equal(readFileSync(sock, 'utf8'), 'not a socket\n', 'the file put there is left alone');
});
