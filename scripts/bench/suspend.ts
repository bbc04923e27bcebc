// Suspend and resume of the tiny guest through vmtui, beside a cold boot of the same VM in the same
// run: vm/suspend (save + qemu's end), and vm/start of the suspended VM until its console loop
// answers, against vm/start of the stopped VM until the same answer. Also the state file's size.
// Run: node dist/scripts/bench/suspend.js [runs] [memory MiB]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelperClient } from '../../src/rpc/client.js';
import { vmSuspendRequest } from '../../src/rpc/protocol.js';
import { ConsoleWatch, guestParams } from '../../test/e2e/vm-support.js';
import { ratio, report } from './stats.js';

const runs = Number(process.argv[2] ?? 3);
const memoryMiB = Number(process.argv[3] ?? 256);
const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const client = await HelperClient.start({ env: { ...process.env, VMTUI_HOME: home } });
await client.initialize();
await client.createVm(guestParams('bench', { memoryBytes: memoryMiB * 2 ** 20 }));

/** vm/start until the guest's console loop answers a line. */
async function startUntilAnswering(): Promise<number> {
  const t = performance.now();
  await client.startVm('bench');
  const watch = await ConsoleWatch.attach(client, 'bench', false);
  await watch.ready(120_000);
  watch.dispose();
  return performance.now() - t;
}

const cold: number[] = [];
const suspend: number[] = [];
const resume: number[] = [];
let stateBytes = 0;
for (let i = 0; i < runs; i++) {
  cold.push(await startUntilAnswering());
  await client.stopVm({ name: 'bench', force: true });
  await startUntilAnswering();
  const t = performance.now();
  await client.request(vmSuspendRequest, { name: 'bench' });
  suspend.push(performance.now() - t);
  stateBytes = statSync(join(home, 'vms', 'bench', 'state.save')).size;
  resume.push(await startUntilAnswering());
  await client.stopVm({ name: 'bench', force: true });
}
await client.deleteVm('bench');
await client.shutdown();
rmSync(home, { recursive: true, force: true });

console.log(`tiny guest, ${memoryMiB} MiB, state file ${(stateBytes / 2 ** 20).toFixed(1)} MiB`);
report('vm/suspend (save, then qemu ends)', suspend);
const r = report('vm/start of the suspended VM to an answer', resume);
const c = report('vm/start of the stopped VM to an answer', cold);
ratio('ratio resume / cold boot (p50)', r.p50, c.p50);
