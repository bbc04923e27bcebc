// Two clients start the same VM at once: exactly one host; the other is told it is already running.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { HelperRequestError } from '../../src/rpc/errors.js';
import { guestParams, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

function hostProcessesFor(bundle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv.includes('host') && argv.includes(bundle)) pids.push(Number(entry));
    } catch { /* gone */ }
  }
  return pids;
}

test('two sessions starting one VM at once give one host and one "already running"', async () => {
  await s.client.createVm(guestParams('race'));
  const other = await s.connect();
  const results = await Promise.allSettled([s.client.startVm('race'), other.startVm('race')]);
  const ok = results.filter((r) => r.status === 'fulfilled');
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.equal(ok.length, 1, 'exactly one start succeeds');
  assert.equal(failed.length, 1);
  const error = failed[0]!.reason as HelperRequestError;
  assert.ok(error instanceof HelperRequestError, String(error));
  assert.equal(error.code, 1004);
  assert.match(error.message, /already running \(pid \d+\)/);
  const bundle = `${s.home.home}/vms/race`;
  assert.equal(hostProcessesFor(bundle).length, 1, 'one per-VM host process');
  await s.client.stopVm({ name: 'race', force: true });
});
