// A VM outlives the terminal: kill -9 the client and its serve process, and the guest keeps running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait.js';
import { BOOT_TIMEOUT_MS, ConsoleWatch, guestParams, isAlive, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

test('killing the client and the serve process leaves the guest running, and a new session reattaches', async () => {
  await s.client.createVm(guestParams('keep'));
  await s.client.shutdown();

  const hold = spawn(process.execPath, [fileURLToPath(new URL('./vm-hold.js', import.meta.url)), 'keep'], {
    env: s.home.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await Promise.race([
    once(hold.stdout, 'data'),
    new Promise((_, fail) => setTimeout(() => fail(new Error('vm-hold did not start the VM in time')), BOOT_TIMEOUT_MS).unref()),
  ])) as [Buffer];
  const started = JSON.parse(line.toString()) as { pid: number; helperPid: number; hostPid: number; vmPid: number };

  process.kill(started.helperPid, 'SIGKILL');
  process.kill(started.pid, 'SIGKILL');
  await waitFor(() => !isAlive(started.helperPid) && !isAlive(started.pid), 'the client and its serve process to die');
  assert.ok(isAlive(started.hostPid), 'the per-VM host survives');
  assert.ok(isAlive(started.vmPid), 'qemu survives');

  const fresh = await s.connect();
  const vm = await fresh.getVm('keep');
  assert.equal(vm.state, 'running');
  assert.equal(vm.hostPid, started.hostPid);
  const console = await ConsoleWatch.attach(fresh, 'keep');
  await console.line('VMTUI-GUEST-BOOTED');
  await console.ready();
  await fresh.consoleWrite('keep', 'still here\r');
  await console.line('ECHO: still here');
  assert.equal((await fresh.stopVm({ name: 'keep', timeoutMs: 60_000 })).state, 'stopped');
  console.dispose();
});
