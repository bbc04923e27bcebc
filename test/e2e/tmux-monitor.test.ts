// The dashboard in a real terminal (tmux, 120×30) with two tiny guests running under real QEMU:
// both rows show non-zero CPU and memory within seconds, and what the screen says agrees with what
// /proc reports of each guest's qemu at that moment.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { withTuiPane } from '../helpers/tmuxPane.js';
import { waitFor } from '../helpers/wait.js';
import { ConsoleWatch, guestParams, vmSession, type VmSession } from './vm-support.js';

/** The screen's memory is rounded to 2–3 digits and read a moment apart from /proc. */
const RSS_TOLERANCE = 0.15;
/** Three 1 s figures from the screen against /proc over three seconds that are offset by < 1 s. */
const CPU_TOLERANCE_POINTS = 25;

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const units: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 };

interface Row { cpuPercent: number; residentBytes: number }

/** The row of `name`: "› alpha  linux  ● running   34% ▂▃  61M/256M  …". */
function rowOf(screen: string, name: string): Row | undefined {
  const m = new RegExp(`^[› ] ${name} +linux +● running +(\\d+)% .*? (\\d+(?:\\.\\d)?)([KMG])\\/256M `, 'm').exec(screen);
  if (!m) return undefined;
  return { cpuPercent: Number(m[1]), residentBytes: Number(m[2]) * units[m[3]!]! };
}

function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function procRss(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? 0) * 1024;
}

let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

test('two running guests show non-zero CPU and memory that agree with /proc', async () => {
  const pids = new Map<string, number>();
  for (const name of ['alpha', 'beta']) {
    await s.client.createVm(guestParams(name));
    const vm = await s.client.startVm(name);
    assert.ok(vm.vmPid, `${name} reports its qemu pid`);
    pids.set(name, vm.vmPid);
  }
  // Booted guests: their memory no longer grows by tens of MiB a second, so a sample a second old
  // still describes them.
  for (const name of pids.keys()) {
    const console = await ConsoleWatch.attach(s.client, name);
    await console.line('VMTUI-GUEST-BOOTED');
    console.dispose();
  }
  await withTuiPane(s.home, { columns: 120, rows: 30 }, async (pane) => {
    await pane.waitFor('beta');
    const screen = await waitFor(async () => {
      const text = await pane.capture();
      const rows = ['alpha', 'beta'].map((n) => rowOf(text, n));
      return rows.every((r) => r && r.cpuPercent > 0 && r.residentBytes > 0) ? text : undefined;
    }, 'both rows with non-zero CPU and memory', 30_000, 250);

    // Compare over the same three seconds: /proc's CPU time across them, and the average of the
    // three 1 s figures the screen shows meanwhile (each covers the second before it was drawn).
    const start = new Map([...pids].map(([name, pid]) => [name, procCpuSeconds(pid)]));
    const rssSum = new Map<string, number>();
    const shown = new Map<string, Row[]>();
    for (let i = 0; i < 3; i++) {
      await new Promise((done) => setTimeout(done, 1000));
      const text = await pane.capture();
      for (const [name, pid] of pids) {
        rssSum.set(name, (rssSum.get(name) ?? 0) + procRss(pid));
        const row = rowOf(text, name);
        assert.ok(row, `${name} has a row with figures:\n${text}`);
        shown.set(name, [...(shown.get(name) ?? []), row]);
      }
    }
    for (const [name, pid] of pids) {
      const rows = shown.get(name)!;
      const cpuPercent = ((procCpuSeconds(pid) - start.get(name)!) / 3) * 100;
      const rss = rssSum.get(name)! / 3;
      const shownCpu = rows.reduce((sum, r) => sum + r.cpuPercent, 0) / rows.length;
      const shownRss = rows.reduce((sum, r) => sum + r.residentBytes, 0) / rows.length;
      assert.ok(Math.abs(shownRss - rss) <= rss * RSS_TOLERANCE, `${name}: the screen shows ${shownRss} bytes resident, /proc ${rss}`);
      assert.ok(Math.abs(shownCpu - cpuPercent) <= CPU_TOLERANCE_POINTS,
        `${name}: the screen shows ${shownCpu.toFixed(1)}% CPU, /proc ${cpuPercent.toFixed(1)}%`);
    }
    assert.ok(screen.includes('alpha') && screen.includes('beta'));
    await pane.keys('q');
  });
});
