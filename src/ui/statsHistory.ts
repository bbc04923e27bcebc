// What the stats notifications leave behind: per-VM CPU and memory history sized for the graphs,
// the newest sample of each VM, and the host's. Plain data; useStats feeds it.
import type { HostStatsParams, VMStats, VMStatsParams } from '../rpc/protocol.js';
import { lastSamples } from './charts.js';
import { Ring } from './ring.js';

/** The table's sparkline spans this much time. */
export const SPARK_SECONDS = 60;
/** The detail screen's graphs span this much; the history keeps exactly this. */
export const HISTORY_SECONDS = 300;
export const DEFAULT_STATS_INTERVAL_MS = 1000;

export interface VmSeries {
  /** % of one core per sample; NaN where the VM could not be sampled. */
  cpu: Ring<number>;
  /** Resident bytes per sample; NaN where the VM could not be sampled. */
  memory: Ring<number>;
  /** The newest sample; undefined while no live sample is current (helper gone). */
  latest: VMStats | undefined;
}

/** What the table needs of one VM: its newest sample and the last minute of CPU. */
export interface VmStatsView {
  latest: VMStats;
  cpu: (number | undefined)[];
}

export class StatsHistory {
  readonly vms = new Map<string, VmSeries>();
  host: HostStatsParams | undefined;
  private interval = DEFAULT_STATS_INTERVAL_MS;

  get intervalMs(): number {
    return this.interval;
  }

  /** Samples that cover `seconds` at the current interval. */
  samplesFor(seconds: number): number {
    return Math.max(1, Math.round((seconds * 1000) / this.interval));
  }

  setInterval(ms: number): void {
    if (!(ms > 0)) return;
    this.interval = ms;
    for (const series of this.vms.values()) {
      series.cpu.resize(this.samplesFor(HISTORY_SECONDS));
      series.memory.resize(this.samplesFor(HISTORY_SECONDS));
    }
  }

  /** One vm/stats: every VM in it gets a sample; a VM missing from it is no longer running. */
  addVmStats(params: VMStatsParams): void {
    const seen = new Set<string>();
    for (const sample of params.vms) {
      seen.add(sample.name);
      let series = this.vms.get(sample.name);
      if (!series) {
        const size = this.samplesFor(HISTORY_SECONDS);
        series = { cpu: new Ring(size), memory: new Ring(size), latest: undefined };
        this.vms.set(sample.name, series);
      }
      series.cpu.push(sample.error === undefined ? sample.cpuPercent : Number.NaN);
      series.memory.push(sample.error === undefined ? sample.residentBytes : Number.NaN);
      series.latest = sample;
    }
    for (const name of [...this.vms.keys()]) if (!seen.has(name)) this.vms.delete(name);
  }

  addHostStats(params: HostStatsParams): void {
    this.host = params;
  }

  /** The helper went away: keep the history, but no sample is current any more. */
  forgetLatest(): void {
    this.host = undefined;
    for (const series of this.vms.values()) series.latest = undefined;
  }

  /** Newest sample and last-minute CPU of every VM that has a current sample. */
  tableView(): Record<string, VmStatsView> {
    const out: Record<string, VmStatsView> = {};
    const count = this.samplesFor(SPARK_SECONDS);
    for (const [name, series] of this.vms) {
      if (!series.latest) continue;
      out[name] = { latest: series.latest, cpu: lastSamples(series.cpu.toArray(), count) };
    }
    return out;
  }
}
