// The whole life of a VM through the real helper, per-VM host and QEMU booting the tiny guest.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { StateChangedParams } from '../../src/rpc/protocol.js';
import { ConsoleWatch, guestParams, qemuThreads, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

test('create, boot, console echo, pause, resume, and a graceful stop through the power button', async () => {
  const created = await s.client.createVm(guestParams('life'));
  assert.equal(created.state, 'stopped');
  assert.match(created.macAddress, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);

  const changes: StateChangedParams[] = [];
  s.client.onStateChanged((p) => { if (p.name === 'life') changes.push(p); });

  const started = await s.client.startVm('life');
  assert.equal(started.state, 'running');
  assert.ok(started.hostPid && started.vmPid, 'a running VM reports its host and qemu pids');
  assert.ok(['kvm', 'tcg'].includes(started.accelerator ?? ''), `accelerator ${started.accelerator}`);
  assert.match(started.sshAddress ?? '', /^127\.0\.0\.1:\d+$/);
  // QEMU's user network has no address of the guest's own to report: vm/ip says so and gives SSH.
  const ip = await s.client.getIp('life');
  assert.equal(ip.address, undefined);
  assert.equal(ip.sshAddress, started.sshAddress);
  assert.match(ip.note ?? '', /user-mode network.*ssh -p \d+ USER@127\.0\.0\.1/);

  const console = await ConsoleWatch.attach(s.client, 'life');
  await console.line('VMTUI-GUEST-BOOTED');
  await console.ready();
  await s.client.consoleWrite('life', 'hello vmtui\r');
  await console.line('ECHO: hello vmtui');

  // What a failed boot wait reports (vm-support.ts): the running QEMU's threads and their states.
  assert.match(qemuThreads('life'), /^QEMU's threads: .+ [RSD] \d+\.\d s /);
  assert.match(qemuThreads('no-such-vm'), /no QEMU process of VM 'no-such-vm'/);

  assert.equal((await s.client.pauseVm('life')).state, 'paused');
  assert.equal((await s.client.getVm('life')).state, 'paused');
  assert.equal((await s.client.resumeVm('life')).state, 'running');
  // The guest answers again after resume.
  await s.client.consoleWrite('life', 'after resume\r');
  await console.line('ECHO: after resume');

  const stopped = await s.client.stopVm({ name: 'life', timeoutMs: 60_000 });
  assert.equal(stopped.state, 'stopped');
  await console.line('VMTUI-GUEST-POWEROFF', 10_000);
  const steps = changes.map((c) => c.step).filter(Boolean);
  assert.deepEqual(steps, ['powerButton'], 'the guest powered off on the power button, without the hard quit');
  // The start is told too, each change once and in order (PROTOCOL.md, vm/stateChanged).
  assert.deepEqual(changes.map((c) => c.state), ['starting', 'running', 'pausing', 'paused', 'resuming', 'running', 'stopping', 'stopped']);

  const after = await s.client.getVm('life');
  assert.equal(after.state, 'stopped');
  assert.equal(after.hostPid, undefined);
  await assert.rejects(s.client.getIp('life'), (e: Error) => /stopped/.test(e.message), 'a stopped VM has no address');
  const events = readFileSync(join(s.home.home, 'vms', 'life', 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(events.at(-1).state, 'stopped');
  const log = readFileSync(join(s.home.home, 'vms', 'life', 'console.log'), 'utf8');
  assert.match(log, /VMTUI-GUEST-BOOTED/, 'console.log keeps the guest console');
  console.dispose();
});
