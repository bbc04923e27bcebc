// What a process costs, read from /proc (Linux): the TUI benchmarks measure the process users run,
// not the benchmark's own.
import { readFileSync } from 'node:fs';
export { findProcess } from '../../test/helpers/process.js';

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
