// CPU time per second and resident memory of the TUI drawing 50 VMs whose stats change every second,
// against the same app with 0 VMs (its fake helper still sends the 1 Hz host/stats and an empty
// vm/stats), measured in the same run. Ink renders for real into a counting stdout; the helper is
// the fake below the rpc boundary (fakeHelper.ts), so HelperClient's framing and decoding count.
// Each case runs in its own process, so one case's heap does not weigh on the other's figures.
// Run: node dist/scripts/bench/tui-render.js [seconds=20] [vms=50] [rounds=2]
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import { render } from 'ink';
import { createElement } from 'react';
import { HelperClient } from '../../src/rpc/client.js';
import { App } from '../../src/ui/app.js';
import { colorTheme } from '../../src/ui/theme.js';
import { fakeVms, startFakeHelper } from './fakeHelper.js';

const COLUMNS = 160;
const ROWS = 64; // all 50 rows on screen
const WARMUP_TICKS = 5;

interface CaseResult {
  vms: number;
  cpuMsPerSecond: number;
  rssMeanMiB: number;
  rssMaxMiB: number;
  heapMiB: number;
  writesPerSecond: number;
  kibPerSecond: number;
  ticks: number;
}

/** A terminal that keeps nothing: it counts what Ink writes. */
class CountingStdout extends EventEmitter {
  readonly isTTY = true;
  readonly columns = COLUMNS;
  readonly rows = ROWS;
  bytes = 0;
  writes = 0;
  write = (data: string): boolean => {
    this.bytes += Buffer.byteLength(data);
    this.writes++;
    return true;
  };
}

/** A keyboard nobody types on. */
class IdleStdin extends EventEmitter {
  readonly isTTY = true;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read(): null {
    return null;
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const MiB = 2 ** 20;

async function runCase(vmCount: number, seconds: number): Promise<CaseResult> {
  const helper = startFakeHelper(fakeVms(vmCount));
  const stdout = new CountingStdout();
  const instance = render(createElement(App, { clientFactory: async () => new HelperClient(helper.process), theme: colorTheme }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: new IdleStdin() as unknown as NodeJS.ReadStream,
    stderr: new CountingStdout() as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
    interactive: true,
  });
  while (helper.ticks() < WARMUP_TICKS) await sleep(50);
  const ticks0 = helper.ticks();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const bytes0 = stdout.bytes;
  const writes0 = stdout.writes;
  const rss: number[] = [];
  for (let s = 0; s < seconds; s++) {
    await sleep(1000);
    rss.push(process.memoryUsage().rss);
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const result: CaseResult = {
    vms: vmCount,
    cpuMsPerSecond: (cpu.user + cpu.system) / 1000 / wall,
    rssMeanMiB: rss.reduce((a, b) => a + b, 0) / rss.length / MiB,
    rssMaxMiB: Math.max(...rss) / MiB,
    heapMiB: process.memoryUsage().heapUsed / MiB,
    writesPerSecond: (stdout.writes - writes0) / wall,
    kibPerSecond: (stdout.bytes - bytes0) / 1024 / wall,
    ticks: helper.ticks() - ticks0,
  };
  instance.unmount();
  helper.process.kill();
  return result;
}

function runChild(vmCount: number, seconds: number): Promise<CaseResult> {
  return new Promise((done, fail) => {
    const child = fork(fileURLToPath(import.meta.url), ['--case', String(vmCount), String(seconds)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' } });
    // Ink shows the cursor again on exit; that escape is not for this terminal.
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk.toString().replaceAll('\u001B[?25h', '')));
    child.once('message', (message) => done(message as CaseResult));
    child.once('exit', (code) => fail(new Error(`The ${vmCount}-VM case exited with status ${code} before reporting.`)));
  });
}

function line(label: string, r: CaseResult): string {
  return [
    label.padEnd(14),
    r.cpuMsPerSecond.toFixed(1).padStart(8),
    `${r.rssMeanMiB.toFixed(1)}/${r.rssMaxMiB.toFixed(1)}`.padStart(14),
    r.heapMiB.toFixed(1).padStart(9),
    r.writesPerSecond.toFixed(1).padStart(9),
    r.kibPerSecond.toFixed(1).padStart(9),
    String(r.ticks).padStart(6),
  ].join('  ');
}

if (process.argv[2] === '--case') {
  const result = await runCase(Number(process.argv[3]), Number(process.argv[4]));
  // Run by hand (e.g. under --cpu-prof) there is no parent to tell.
  if (process.send) process.send(result, () => process.exit(0));
  else {
    console.error(JSON.stringify(result));
    process.exit(0);
  }
} else {
  const seconds = Number(process.argv[2] ?? 20);
  const vmCount = Number(process.argv[3] ?? 50);
  const rounds = Number(process.argv[4] ?? 2);
  console.log(`TUI rendering, ${COLUMNS}×${ROWS}, stats every 1 s; ${seconds} s measured after ${WARMUP_TICKS} ticks, ${rounds} rounds, one process per case`);
  console.log(`${'case'.padEnd(14)}  ${'CPU ms/s'.padStart(8)}  ${'RSS MiB mean/max'.padStart(14)}  ${'heap MiB'.padStart(9)}  ${'writes/s'.padStart(9)}  ${'KiB/s'.padStart(9)}  ${'ticks'.padStart(6)}`);
  const idle: CaseResult[] = [];
  const busy: CaseResult[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternating, so a noisy neighbour on the machine weighs on both cases alike.
    idle.push(await runChild(0, seconds));
    console.log(line('0 VMs', idle.at(-1)!));
    busy.push(await runChild(vmCount, seconds));
    console.log(line(`${vmCount} VMs`, busy.at(-1)!));
  }
  const mean = (list: CaseResult[], pick: (r: CaseResult) => number) => list.reduce((sum, r) => sum + pick(r), 0) / list.length;
  const cpuRatio = mean(busy, (r) => r.cpuMsPerSecond) / mean(idle, (r) => r.cpuMsPerSecond);
  const rssRatio = mean(busy, (r) => r.rssMeanMiB) / mean(idle, (r) => r.rssMeanMiB);
  console.log(`ratio ${vmCount} VMs / 0 VMs: CPU time ${cpuRatio.toFixed(2)}x, resident memory ${rssRatio.toFixed(2)}x`);
  console.log(`${vmCount} VMs: ${mean(busy, (r) => r.cpuMsPerSecond).toFixed(1)} ms of CPU per second (${(mean(busy, (r) => r.cpuMsPerSecond) / 10).toFixed(2)} % of one core)`);
}
