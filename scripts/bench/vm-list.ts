// vm/list latency with 200 bundles (p50, p99), and `vmtui list --json` wall time beside `node -e 0`,
// in the same run. Run: node dist/scripts/bench/vm-list.js [bundles=200] [calls=500]
// (a p99 needs a few hundred calls; of 50 it is the slowest one)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HelperClient } from '../../src/rpc/client.js';
import { guestParams } from '../../test/e2e/vm-support.js';
import { withThisNode } from '../../test/helpers/process.js';
import { ratio, report } from './stats.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const bundles = Number(process.argv[2] ?? 200);
const calls = Number(process.argv[3] ?? 500);
const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const env = withThisNode({ ...process.env, VMTUI_HOME: home });
const client = await HelperClient.start({ env });
await client.initialize();
for (let i = 0; i < bundles; i++) await client.createVm(guestParams(`vm${String(i).padStart(3, '0')}`, { diskBytes: 2 ** 20 }));

const list: number[] = [];
for (let i = 0; i < calls + 10; i++) {
  const t = performance.now();
  const r = await client.listVms();
  if (i >= 10) list.push(performance.now() - t);
  if (r.vms.length !== bundles) throw new Error(`vm/list returned ${r.vms.length} VMs, expected ${bundles}`);
}
await client.shutdown();

function wall(cmd: string, args: string[]): number {
  const t = performance.now();
  execFileSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return performance.now() - t;
}
const cli: number[] = [];
const bare: number[] = [];
for (let i = 0; i < 10; i++) {
  cli.push(wall(join(repo, 'dist/vmtui/bin.js'), ['list', '--json'])); // by its first line, as users start it
  bare.push(wall(process.execPath, ['-e', '0']));
}
rmSync(home, { recursive: true, force: true });

console.log(`${bundles} stopped VM bundles`);
report('vm/list latency (real helper)', list);
const a = report('vmtui list --json (wall)', cli);
const b = report('node -e 0 (wall)', bare);
ratio('ratio vmtui list --json / node -e 0 (p50)', a.p50, b.p50);
