// What watching the store costs: CPU time per second and resident memory of an idle serve process
// (no requests, no stats subscription) with 0 and 50 stopped VMs, watching with inotify and with
// the 0.5 s poll (VMTUI_STORE_WATCH=poll; macOS's way), all in the same run; and how long a VM made
// by a second serve takes to reach the first as vm/changed (median of a few).
// Linux only (reads /proc). Run: node dist/scripts/bench/serve-watch.js [seconds per phase] [VMs]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelperClient } from '../../src/rpc/client.js';
import { vmChangedNotification } from '../../src/rpc/protocol.js';
import { guestParams } from '../../test/e2e/vm-support.js';

const phaseSeconds = Number(process.argv[2] ?? 20);
const manyVms = Number(process.argv[3] ?? 50);
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function residentBytes(pid: number): number {
  const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return rss ? Number(rss[1]) * 1024 : Number.NaN;
}

type Mode = 'inotify' | 'poll';
interface Phase { cpu: number; rss: number; toldMs: number }

async function phase(mode: Mode, vms: number): Promise<Phase> {
  const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
  const env = { ...process.env, VMTUI_HOME: home, ...(mode === 'poll' ? { VMTUI_STORE_WATCH: 'poll' } : {}) };
  const maker = await HelperClient.start({ env });
  try {
    await maker.initialize();
    for (let i = 0; i < vms; i++) await maker.createVm(guestParams(`vm${String(i).padStart(3, '0')}`, { diskBytes: 2 ** 20 }));
    const watcher = await HelperClient.start({ env });
    try {
      await watcher.initialize();
      await sleep(1500); // settle: start-up work done
      const start = { cpu: cpuSeconds(watcher.pid), at: performance.now() };
      await sleep(phaseSeconds * 1000);
      const cpu = (cpuSeconds(watcher.pid) - start.cpu) / ((performance.now() - start.at) / 1000);
      const rss = residentBytes(watcher.pid);
      // A VM made by the other serve, until this one tells it.
      const told: number[] = [];
      for (let i = 0; i < 5; i++) {
        const name = `new${i}`;
        const seen = new Promise<number>((done) => {
          const listening = watcher.on(vmChangedNotification, (p) => {
            if (p.name === name && p.change === 'added') { listening.dispose(); done(performance.now()); }
          });
        });
        const t = performance.now();
        await maker.createVm(guestParams(name, { diskBytes: 2 ** 20 }));
        told.push((await seen) - t);
      }
      told.sort((a, b) => a - b);
      return { cpu, rss, toldMs: told[Math.floor(told.length / 2)]! };
    } finally {
      await watcher.shutdown();
    }
  } finally {
    await maker.shutdown();
    rmSync(home, { recursive: true, force: true });
  }
}

const results = new Map<string, Phase>();
for (const mode of ['inotify', 'poll'] as Mode[]) {
  for (const vms of [0, manyVms]) results.set(`${mode} ${vms}`, await phase(mode, vms));
}
const ms = (cpu: number) => `${(cpu * 1000).toFixed(2)} ms/s`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a (baseline 0)');
const row = (...cells: string[]) => console.log(cells.map((c, i) => (i === 0 ? c.padEnd(16) : c.padStart(16))).join(' '));
console.log(`idle serve, ${phaseSeconds} s per phase; CPU from /proc clock ticks of ${1000 / ticksPerSecond} ms`);
// The baseline is the poll with no VM: inotify's idle cost is below what clock ticks can show.
row('', 'CPU', '% of a core', 'resident', 'change told in', 'vs poll, 0 VMs');
const baseline = results.get('poll 0')!;
for (const [label, p] of results) {
  row(`${label} VMs`, ms(p.cpu), `${(p.cpu * 100).toFixed(3)} %`, `${(p.rss / 2 ** 20).toFixed(1)} MiB`, `${p.toldMs.toFixed(0)} ms`, ratio(p.cpu, baseline.cpu));
}
