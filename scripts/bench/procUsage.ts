// What a process costs, read from /proc (Linux): the TUI benchmarks measure the process users run,
// not the benchmark's own.
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * utime+stime in ms and VmRSS in MiB of `pid`, from /proc, with its file-backed part (pages of the
 * node binary and libraries, shared with every Node process and reclaimable) told apart.
 */
export function usage(pid: number): { cpuMs: number; rssMiB: number; fileMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { cpuMs, rssMiB: kib('VmRSS') / 1024, fileMiB: kib('RssFile') / 1024 };
}

/** The pid of the process running the script `file` under `ancestor` (script → sh → exec node). */
export function findProcess(ancestor: number, file: string): number | undefined {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  for (const [pid] of parents) {
    let up = parents.get(pid);
    let underAncestor = false;
    for (let hops = 0; up !== undefined && hops < 4; hops++, up = parents.get(up)) if (up === ancestor) underAncestor = true;
    if (!underAncestor) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(file)) return pid;
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** Polls `get` every 50 ms until it has a value; a benchmark error after `ms`. */
export async function until<T>(what: string, get: () => T | undefined, ms = 60_000): Promise<T> {
  const deadline = performance.now() + ms;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`The benchmark gave up waiting for ${what} after ${ms / 1000} s.`);
    await sleep(50);
  }
}

/** CPU ms per second, and resident MiB sampled once a second (mean, max, file-backed mean), over `seconds`. */
export async function watch(pid: number, seconds: number): Promise<{ cpuMsPerSecond: number; rssMeanMiB: number; rssMaxMiB: number; fileMeanMiB: number; wallSeconds: number }> {
  const u0 = usage(pid);
  const t0 = performance.now();
  const rss: number[] = [];
  const file: number[] = [];
  for (let s = 0; s < seconds; s++) {
    await sleep(1000);
    const now = usage(pid);
    rss.push(now.rssMiB);
    file.push(now.fileMiB);
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const mean = (list: number[]) => list.reduce((a, b) => a + b, 0) / list.length;
  return { cpuMsPerSecond: (usage(pid).cpuMs - u0.cpuMs) / wallSeconds, rssMeanMiB: mean(rss), rssMaxMiB: Math.max(...rss), fileMeanMiB: mean(file), wallSeconds };
}
