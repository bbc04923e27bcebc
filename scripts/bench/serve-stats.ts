// What monitoring costs: CPU time per second and resident memory of the serve process (and of the
// per-VM hosts it asks) while subscribed at 1 Hz, against the same processes unsubscribed, in the
// same run, with tiny guests running; and that cost as a share of the CPU the guests' qemu use
// meanwhile (an idle serve uses no CPU at all, so that ratio has no denominator). Phases
// alternate to spread the machine's noise over both.
// Linux only (reads /proc). Run: node dist/scripts/bench/serve-stats.js [guests] [seconds per phase]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelperClient } from '../../src/rpc/client.js';
import { ConsoleWatch, guestParams, killHosts } from '../../test/e2e/vm-support.js';

const guests = Number(process.argv[2] ?? 3);
const phaseSeconds = Number(process.argv[3] ?? 15);
const rounds = 2;
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function residentBytes(pid: number): number {
  const rss = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return rss ? Number(rss[1]) * 1024 : Number.NaN;
}

const sum = (pids: number[], f: (pid: number) => number) => pids.reduce((total, pid) => total + f(pid), 0);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Phase { serveCpu: number; hostsCpu: number; qemuCpu: number; serveRss: number; hostsRss: number; samples: number }

const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const client = await HelperClient.start({ env: { ...process.env, VMTUI_HOME: home } });
try {
  await client.initialize();
  const hostPids: number[] = [];
  const qemuPids: number[] = [];
  for (let i = 0; i < guests; i++) {
    const name = `g${i}`;
    await client.createVm(guestParams(name, { memoryBytes: 128 * 2 ** 20 }));
    const vm = await client.startVm(name);
    const console = await ConsoleWatch.attach(client, name);
    await console.line('VMTUI-GUEST-BOOTED');
    await client.consoleDetach(name);
    console.dispose();
    hostPids.push(vm.hostPid!);
    qemuPids.push(vm.vmPid!);
  }
  let samples = 0;
  let incomplete = 0;
  client.onVmStats((p) => {
    samples++;
    if (p.vms.length !== guests || p.vms.some((v) => v.error !== undefined || v.residentBytes <= 0)) incomplete++;
  });

  async function phase(subscribed: boolean): Promise<Phase> {
    if (subscribed) await client.subscribeStats(1000);
    await sleep(1500); // settle: the first samples, or the last ones draining
    const start = { serve: cpuSeconds(client.pid), hosts: sum(hostPids, cpuSeconds), qemu: sum(qemuPids, cpuSeconds), samples, at: performance.now() };
    await sleep(phaseSeconds * 1000);
    const seconds = (performance.now() - start.at) / 1000;
    const result = {
      serveCpu: (cpuSeconds(client.pid) - start.serve) / seconds,
      hostsCpu: (sum(hostPids, cpuSeconds) - start.hosts) / seconds,
      qemuCpu: (sum(qemuPids, cpuSeconds) - start.qemu) / seconds,
      serveRss: residentBytes(client.pid),
      hostsRss: sum(hostPids, residentBytes) / hostPids.length,
      samples: samples - start.samples,
    };
    if (subscribed) await client.unsubscribeStats();
    return result;
  }

  const idle: Phase[] = [];
  const watched: Phase[] = [];
  for (let r = 0; r < rounds; r++) {
    idle.push(await phase(false));
    watched.push(await phase(true));
  }
  const mean = (phases: Phase[], key: keyof Phase) => phases.reduce((t, p) => t + p[key], 0) / phases.length;
  const ms = (cpu: number) => `${(cpu * 1000).toFixed(2)} ms/s`;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a (baseline 0)');
  const row = (label: string, a: string, b: string, r: string) => console.log(`${label.padEnd(34)} ${a.padStart(12)} ${b.padStart(14)} ${r.padStart(18)}`);

  console.log(`${guests} tiny guests (128 MiB; 64 MiB is too little for its kernel), ${rounds} × ${phaseSeconds} s per phase, samples received while subscribed: ${mean(watched, 'samples').toFixed(1)} per phase`);
  row('', 'unsubscribed', 'subscribed 1 Hz', 'subscribed/unsub.');
  row('serve CPU', ms(mean(idle, 'serveCpu')), ms(mean(watched, 'serveCpu')), ratio(mean(watched, 'serveCpu'), mean(idle, 'serveCpu')));
  row('serve resident memory', mib(mean(idle, 'serveRss')), mib(mean(watched, 'serveRss')), ratio(mean(watched, 'serveRss'), mean(idle, 'serveRss')));
  row('per-VM hosts CPU (all)', ms(mean(idle, 'hostsCpu')), ms(mean(watched, 'hostsCpu')), ratio(mean(watched, 'hostsCpu'), mean(idle, 'hostsCpu')));
  row('per-VM host resident memory (each)', mib(mean(idle, 'hostsRss')), mib(mean(watched, 'hostsRss')), ratio(mean(watched, 'hostsRss'), mean(idle, 'hostsRss')));
  row('guests\' qemu CPU (all)', ms(mean(idle, 'qemuCpu')), ms(mean(watched, 'qemuCpu')), ratio(mean(watched, 'qemuCpu'), mean(idle, 'qemuCpu')));
  const cost = mean(watched, 'serveCpu') + mean(watched, 'hostsCpu') - mean(idle, 'serveCpu') - mean(idle, 'hostsCpu');
  console.log(`monitoring cost (serve + hosts, subscribed − unsubscribed) / guests' qemu CPU: ${((cost / mean(watched, 'qemuCpu')) * 100).toFixed(2)} %`);
  console.log(`(CPU figures come from /proc clock ticks of ${1000 / ticksPerSecond} ms; samples missing a VM or its figures: ${incomplete}.)`);
} finally {
  killHosts(home);
  await client.shutdown();
  rmSync(home, { recursive: true, force: true });
}
