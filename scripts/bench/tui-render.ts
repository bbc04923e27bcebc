// CPU time per second and resident memory of the TUI users run (the bundle dist/vmtui/bin.js, as
// scripts/vmtui.sh and npm's bin start it) drawing 50 VMs whose stats change every second, beside
// the same TUI with 0 VMs (whose helper still sends the 1 Hz host/stats and an empty vm/stats),
// measured in the same run. It runs in a real pseudo-terminal (script(1)); the helper is the fake
// below the rpc boundary (fakeHelperMain.ts, its own process named by VMTUI_HELPER), so only the
// TUI's process is measured, from /proc: utime+stime and VmRSS. Cases take turns.
// Run: node dist/scripts/bench/tui-render.js [seconds=20] [vms=50] [rounds=2]
// The TUI is started by the bundle's first line, with the Node flags users get. Extra flags (e.g.
// --cpu-prof, in NODE_OPTIONS): VMTUI_BENCH_NODE_FLAGS; another bundle to measure
// (an older build, to compare): VMTUI_BENCH_BIN.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withThisNode } from '../../test/helpers/process.js';
import { findProcess, until, watch } from './procUsage.js';

const COLUMNS = 160;
const ROWS = 64; // all 50 rows on screen
// A dashboard is left open for minutes: the measure starts once start-up's own work has settled (V8's
// first memory-reducing GC comes about 8 s after start, and the JIT is still compiling before it).
const WARMUP_TICKS = 15;
const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const bin = process.env.VMTUI_BENCH_BIN ?? join(repo, 'dist/vmtui/bin.js');
const fakeMain = join(repo, 'dist/scripts/bench/fakeHelperMain.js');

interface CaseResult {
  vms: number;
  cpuMsPerSecond: number;
  rssMeanMiB: number;
  rssMaxMiB: number;
  fileMeanMiB: number;
  kibPerSecond: number;
  ticks: number;
}

/** The UI script's code cache, carried from case to case: users start the TUI with one. */
const keptCodes = mkdtempSync(join(tmpdir(), 'vmtui-bench-codes-'));

async function runCase(vmCount: number, seconds: number): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vmtui-bench-tui-'));
  const codes = join(dir, 'home', 'cache', 'ui-code');
  mkdirSync(codes, { recursive: true });
  cpSync(keptCodes, codes, { recursive: true });
  const helper = join(dir, 'vmtui-helper');
  writeFileSync(helper, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(fakeMain)} "$@"\n`);
  chmodSync(helper, 0o755);
  const ticksFile = join(dir, 'ticks');
  const ticks = () => {
    try {
      return Number(readFileSync(ticksFile, 'utf8'));
    } catch {
      return 0;
    }
  };
  const { NODE_ENV: _unset, ...userEnv } = process.env; // as a user runs it
  const flags = process.env.VMTUI_BENCH_NODE_FLAGS;
  const env = withThisNode({ ...userEnv, ...(flags ? { NODE_OPTIONS: flags } : {}), VMTUI_HOME: join(dir, 'home'), VMTUI_HELPER: helper, VMTUI_FAKE_VMS: String(vmCount), VMTUI_FAKE_TICKS: ticksFile, TERM: 'xterm-256color' });
  const command = `stty cols ${COLUMNS} rows ${ROWS}; exec ${JSON.stringify(bin)}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  let bytes = 0;
  child.stdout.on('data', (d: Buffer) => (bytes += d.length));
  try {
    const pid = await until('the TUI process', () => findProcess(child.pid!, bin));
    await until(`${WARMUP_TICKS} stats ticks`, () => (ticks() >= WARMUP_TICKS ? true : undefined));
    const ticks0 = ticks();
    const bytes0 = bytes;
    const seen = await watch(pid, seconds);
    return {
      vms: vmCount,
      cpuMsPerSecond: seen.cpuMsPerSecond,
      rssMeanMiB: seen.rssMeanMiB,
      rssMaxMiB: seen.rssMaxMiB,
      fileMeanMiB: seen.fileMeanMiB,
      kibPerSecond: (bytes - bytes0) / 1024 / seen.wallSeconds,
      ticks: ticks() - ticks0,
    };
  } finally {
    const ended = new Promise((done) => child.once('exit', done));
    child.stdin.write('q');
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    await ended;
    clearTimeout(kill);
    if (existsSync(codes)) cpSync(codes, keptCodes, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

function line(label: string, r: CaseResult): string {
  return [
    label.padEnd(14),
    r.cpuMsPerSecond.toFixed(1).padStart(8),
    `${r.rssMeanMiB.toFixed(1)}/${r.rssMaxMiB.toFixed(1)}`.padStart(16),
    r.fileMeanMiB.toFixed(1).padStart(13),
    r.kibPerSecond.toFixed(1).padStart(9),
    String(r.ticks).padStart(6),
  ].join('  ');
}

const seconds = Number(process.argv[2] ?? 20);
const vmCount = Number(process.argv[3] ?? 50);
const rounds = Number(process.argv[4] ?? 2);
console.log(`TUI rendering (dist/vmtui/bin.js in a pty), ${COLUMNS}×${ROWS}, stats every 1 s; ${seconds} s measured after ${WARMUP_TICKS} ticks, ${rounds} rounds`);
console.log(
  `${'case'.padEnd(14)}  ${'CPU ms/s'.padStart(8)}  ${'RSS MiB mean/max'.padStart(16)}  ${'of it in files'.padStart(13)}  ${'KiB/s'.padStart(9)}  ${'ticks'.padStart(6)}`,
);
await runCase(0, 1); // untimed: writes the code cache every measured case starts with
const idle: CaseResult[] = [];
const busy: CaseResult[] = [];
for (let r = 0; r < rounds; r++) {
  // Alternating, so a noisy neighbour on the machine weighs on both cases alike.
  idle.push(await runCase(0, seconds));
  console.log(line('0 VMs', idle.at(-1)!));
  busy.push(await runCase(vmCount, seconds));
  console.log(line(`${vmCount} VMs`, busy.at(-1)!));
}
const mean = (list: CaseResult[], pick: (r: CaseResult) => number) => list.reduce((sum, r) => sum + pick(r), 0) / list.length;
const cpu = mean(busy, (r) => r.cpuMsPerSecond);
const rss = mean(busy, (r) => r.rssMeanMiB);
console.log(`ratio ${vmCount} VMs / 0 VMs: CPU time ${(cpu / mean(idle, (r) => r.cpuMsPerSecond)).toFixed(2)}x, resident memory ${(rss / mean(idle, (r) => r.rssMeanMiB)).toFixed(2)}x`);
rmSync(keptCodes, { recursive: true, force: true });
console.log(`${vmCount} VMs: ${cpu.toFixed(1)} ms of CPU per second (${(cpu / 10).toFixed(2)} % of one core; target ≤ 2 %: ${cpu <= 20 ? 'met' : 'NOT met'}), ${rss.toFixed(1)} MiB resident (target ≤ 80 MiB: ${rss <= 80 ? 'met' : 'NOT met'})`);
