// vm/stats with two tiny guests under real QEMU: the figures agree with what /proc says of each
// qemu at the same moment, and a killed qemu turns its entry to error while the other keeps going.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { VMStats, VMStatsParams } from '../../src/rpc/protocol.js';
import { waitFor } from '../helpers/wait.js';
import { ConsoleWatch, guestParams, vmSession, type VmSession } from './vm-support.js';

const INTERVAL_MS = 1000;
/** CPU: the test's window and the helper's differ by the few ms between sampling and reading. */
const CPU_TOLERANCE_POINTS = 10;
/** Resident memory: qemu's RSS moves a little between two readings. */
const RSS_TOLERANCE = 0.1;

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** What /proc says of one process, read by the test itself. */
interface ProcReading {
  cpuTicks: number;
  uptime: number;
  rssBytes: number;
}

function readProc(pid: number): ProcReading | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    if (!rss) return undefined;
    return {
      cpuTicks: Number(fields[11]) + Number(fields[12]), // utime, stime (fields 14, 15)
      uptime: Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]),
      rssBytes: Number(rss[1]) * 1024,
    };
  } catch {
    return undefined; // the process is gone
  }
}

interface Observation {
  params: VMStatsParams;
  proc: Map<string, ProcReading>;
}

let s: VmSession;
const seen: Observation[] = [];
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

const entry = (o: Observation | undefined, name: string): VMStats | undefined => o?.params.vms.find((v) => v.name === name);

test('two running guests: figures match /proc, and a killed qemu turns only its own entry to error', async (t) => {
  for (const name of ['one', 'two']) {
    await s.client.createVm(guestParams(name, { memoryBytes: 128 * 2 ** 20 }));
    await s.client.startVm(name);
    const console = await ConsoleWatch.attach(s.client, name);
    await console.line('VMTUI-GUEST-BOOTED');
    console.dispose();
  }
  s.client.onVmStats((params) => {
    // Read /proc at once, as close as possible to the helper's own sampling.
    const proc = new Map<string, ProcReading>();
    for (const vm of params.vms) {
      const reading = vm.vmPid === undefined ? undefined : readProc(vm.vmPid);
      if (reading) proc.set(vm.name, reading);
    }
    seen.push({ params, proc });
  });
  assert.equal(await s.client.subscribeStats(INTERVAL_MS), INTERVAL_MS);

  await waitFor(() => ['one', 'two'].every((n) => {
    const e = entry(seen.at(-1), n);
    return e && e.state === 'running' && e.cpuPercent > 0 && e.residentBytes > 0;
  }), 'both entries to show CPU and memory', 15_000);
  await waitFor(() => seen.length >= 4, 'four intervals of vm/stats', 15_000);

  let worstCpu = 0;
  let worstRss = 0;
  for (let i = 1; i < seen.length; i++) {
    for (const name of ['one', 'two']) {
      const now = entry(seen[i], name)!;
      const ours = seen[i]!.proc.get(name);
      const before = seen[i - 1]!.proc.get(name);
      assert.ok(ours && before, `/proc/${now.vmPid} was readable`);
      assert.equal(now.vmPid, entry(seen[i - 1], name)!.vmPid);
      const ourPercent = ((ours.cpuTicks - before.cpuTicks) / ticksPerSecond / (ours.uptime - before.uptime)) * 100;
      worstCpu = Math.max(worstCpu, Math.abs(now.cpuPercent - ourPercent));
      worstRss = Math.max(worstRss, Math.abs(now.residentBytes - ours.rssBytes) / ours.rssBytes);
      assert.ok(Math.abs(now.cpuPercent - ourPercent) <= CPU_TOLERANCE_POINTS,
        `${name} interval ${i}: helper says ${now.cpuPercent}% of a core, /proc says ${ourPercent.toFixed(2)}%`);
      assert.ok(Math.abs(now.residentBytes - ours.rssBytes) <= RSS_TOLERANCE * ours.rssBytes,
        `${name} interval ${i}: helper says ${now.residentBytes} resident bytes, /proc says ${ours.rssBytes}`);
      assert.equal(now.hostCpuPercent > 0, now.cpuPercent > 0);
      assert.equal(now.memoryBytes, 128 * 2 ** 20);
      assert.equal(now.diskBytes, 64 * 2 ** 20);
      assert.match(now.sshAddress ?? '', /^127\.0\.0\.1:\d+$/);
      assert.equal(now.address, undefined, 'QEMU user networking gives no address the host can reach');
      assert.equal(now.error, undefined);
    }
  }

  t.diagnostic(`largest differences from /proc: CPU ${worstCpu.toFixed(2)} points, RSS ${(worstRss * 100).toFixed(2)} %`);

  // Kill one guest's qemu: its entry turns to error within one interval (plus one of slack for a
  // sample already under way), and the other keeps updating.
  const victim = entry(seen.at(-1), 'one')!;
  const killedAt = seen.length;
  process.kill(victim.vmPid!, 'SIGKILL');
  await waitFor(() => seen.length >= killedAt + 4, 'four more intervals of vm/stats', 20_000);
  const afterKill = seen.slice(killedAt);
  const firstError = afterKill.findIndex((o) => entry(o, 'one')?.state === 'error');
  assert.ok(firstError >= 0 && firstError <= 1, `the killed VM showed error only after ${firstError} intervals`);
  for (const o of afterKill.slice(firstError)) {
    const dead = entry(o, 'one')!;
    assert.equal(dead.state, 'error');
    assert.match(dead.error ?? '', /QEMU was killed by signal 9\./);
    assert.equal(dead.cpuPercent, 0);
  }
  const other = afterKill.map((o) => entry(o, 'two')!);
  for (const e of other) {
    assert.equal(e.state, 'running');
    assert.ok(e.residentBytes > 0 && e.error === undefined, JSON.stringify(e));
  }
  const uptimes = other.map((e) => e.uptimeSeconds);
  assert.ok(uptimes.at(-1)! > uptimes[0]!, `the other VM's uptime did not move: ${uptimes.join(', ')}`);
  await s.client.unsubscribeStats();
});
