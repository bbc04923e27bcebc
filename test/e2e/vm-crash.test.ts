// QEMU dying on its own: the VM shows error with the reason, the lock is free, and it starts again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { waitFor } from '../helpers/wait.js';
import { ConsoleWatch, guestParams, isAlive, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

test('kill -9 of qemu turns the VM to error with a reason, frees the lock, and it can start again', async () => {
  await s.client.createVm(guestParams('crash'));
  const seen: string[] = [];
  s.client.onStateChanged((p) => { if (p.name === 'crash') seen.push(p.state); });
  const vm = await s.client.startVm('crash');
  const console = await ConsoleWatch.attach(s.client, 'crash');
  await console.line('VMTUI-GUEST-BOOTED');

  process.kill(vm.vmPid!, 'SIGKILL');
  await waitFor(() => seen.includes('error'), 'a vm/stateChanged with state error', 20_000);
  const broken = await waitFor(async () => {
    const v = await s.client.getVm('crash');
    return v.state === 'error' && v.hostPid === undefined ? v : undefined;
  }, 'the VM to show error with its host gone', 20_000);
  assert.match(broken.stateReason ?? '', /QEMU was killed by signal 9/);
  // The host frees its lock first, then lets its last answers drain and exits.
  await waitFor(() => !isAlive(vm.hostPid!), 'the host to exit after recording the error', 5000);

  const again = await s.client.startVm('crash');
  assert.equal(again.state, 'running');
  assert.notEqual(again.hostPid, vm.hostPid);
  assert.equal((await s.client.stopVm({ name: 'crash', force: true })).state, 'stopped');
  console.dispose();
});
