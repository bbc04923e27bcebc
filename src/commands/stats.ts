// `vmtui stats [--json] [--interval MS] [--count N]`: live CPU, memory and disk of the running VMs
// and the host, one block (or, with --json, one JSON line) per interval.
import type { HelperApi } from '../rpc/api.js';
import { STATS_INTERVAL_MAX_MS, STATS_INTERVAL_MIN_MS, type HostStatsParams, type VMStats } from '../rpc/protocol.js';
import { formatBytes, formatCompact, stateLabel } from '../format/vm.js';
import { UsageError } from '../format/usageError.js';
import { flag, stringOption } from './args.js';
import type { Command } from './command.js';
import { withClient, type CommandIO } from './io.js';

/** One interval: the host and every VM, sampled together. */
export interface StatsSnapshot {
  time: string;
  host: HostStatsParams;
  vms: VMStats[];
}

export function parseWholeNumber(text: string, option: string, example: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw new UsageError(`'${text}' is not a whole number above zero for ${option}; write one such as ${example}.`);
  }
  return Number(text);
}

/** "42s", "1m35s", "2h05m", "3d04h". */
export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor(s / 3600) % 24)}h`;
}

const percent = (n: number) => `${n.toFixed(1)}%`;

function addressCell(vm: VMStats): string {
  if (vm.address) return `${vm.address.ip} (${vm.address.source})`;
  return vm.sshAddress ?? '—';
}

/** The host line, a table of VMs, and a line per VM that could not be sampled. */
export function statsBlock(s: StatsSnapshot): string {
  const h = s.host;
  const slots = h.macosSlots ? `  macOS slots ${h.macosSlots.used}/${h.macosSlots.max}${h.macosSlots.vms.length ? ` (${h.macosSlots.vms.join(', ')})` : ''}` : '';
  const lines = [
    `${s.time}  host CPU ${percent(h.cpuPercent)}  memory ${formatBytes(h.memoryUsedBytes)} of ${formatBytes(h.memoryTotalBytes)}` +
      `  disk ${formatBytes(h.freeDiskBytes)} free of ${formatBytes(h.totalDiskBytes)}${slots}`,
  ];
  if (s.vms.length === 0) return [...lines, 'No VM is running.'].join('\n') + '\n';
  const head = ['NAME', 'STATE', 'CPU', 'HOST', 'RESIDENT', 'MEMORY', 'DISK', 'UPTIME', 'ADDRESS'];
  const rows = s.vms.map((vm) => {
    const measured = vm.vmPid !== undefined && vm.error === undefined;
    return [
      vm.name,
      stateLabel(vm.state),
      measured ? percent(vm.cpuPercent) : '—',
      measured ? percent(vm.hostCpuPercent) : '—',
      measured ? formatBytes(vm.residentBytes) : '—',
      formatBytes(vm.memoryBytes),
      `${formatCompact(vm.diskAllocatedBytes)}/${formatCompact(vm.diskBytes)}`,
      vm.uptimeSeconds > 0 ? formatUptime(vm.uptimeSeconds) : '—',
      addressCell(vm),
    ];
  });
  const widths = head.map((title, i) => Math.max(title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd((widths[i] ?? 0) + 2)).join('').trimEnd();
  lines.push(line(head), ...rows.map(line));
  for (const vm of s.vms) if (vm.error) lines.push(`  ${vm.name}: ${vm.error}`);
  return lines.join('\n') + '\n';
}

/**
 * Subscribes and writes one snapshot per interval until `count` have been written, or until
 * `stop` resolves (Ctrl-C); always unsubscribes.
 */
export async function runStats(
  client: HelperApi,
  io: CommandIO,
  options: { json: boolean; intervalMs: number; count: number | undefined; stop: Promise<void> },
): Promise<void> {
  let written = 0;
  let pendingVms: { time: string; vms: VMStats[] } | undefined;
  let done: () => void = () => undefined;
  const enough = new Promise<void>((resolve) => (done = resolve));
  let helperGone: (error: Error) => void = () => undefined;
  const gone = new Promise<never>((_, reject) => (helperGone = reject));
  const exitSub = client.onExit((_exit, expected, error) => {
    if (!expected) helperGone(error);
  });
  // The helper sends vm/stats, then host/stats, with one time per interval.
  const vmSub = client.onVmStats((p) => (pendingVms = p));
  const hostSub = client.onHostStats((host) => {
    if (options.count !== undefined && written >= options.count) return;
    if (pendingVms?.time !== host.time) return;
    const snapshot: StatsSnapshot = { time: host.time, host, vms: pendingVms.vms };
    io.stdout.write(options.json ? JSON.stringify(snapshot) + '\n' : (written > 0 ? '\n' : '') + statsBlock(snapshot));
    written++;
    if (options.count !== undefined && written >= options.count) done();
  });
  try {
    const used = await client.subscribeStats(options.intervalMs);
    if (used !== options.intervalMs) {
      io.stderr.write(`vmtui: using an interval of ${used} ms (the helper allows ${STATS_INTERVAL_MIN_MS} … ${STATS_INTERVAL_MAX_MS}).\n`);
    }
    await Promise.race([enough, options.stop, gone]);
    await client.unsubscribeStats();
  } finally {
    vmSub.dispose();
    hostSub.dispose();
    exitSub.dispose();
  }
}

/** Resolves on Ctrl-C or SIGTERM; the handlers are removed by `dispose`. */
function interrupted(): { stop: Promise<void>; dispose: () => void } {
  let resolve: () => void = () => undefined;
  const stop = new Promise<void>((r) => (resolve = r));
  const onSignal = () => resolve();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    stop,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export const statsCommand: Command = {
  spec: {
    name: 'stats',
    positionals: [],
    options: {
      interval: { value: 'MS', description: `milliseconds between samples (default 1000; ${STATS_INTERVAL_MIN_MS} … ${STATS_INTERVAL_MAX_MS})` },
      count: { value: 'N', description: 'stop after N samples (default: until Ctrl-C)' },
      json: { description: 'one JSON object per line: {time, host, vms}, for scripts' },
    },
    summary: 'Watch CPU, memory and disk of the running VMs and the host, every interval.',
    details: [
      'CPU is % of one core (over 100 with several busy vCPUs); HOST is the same as a share of all cores.',
      "The first sample of a VM is its average since it started. A VM that cannot be measured says why.",
    ],
  },
  run: (args, io) => {
    const interval = stringOption(args, 'interval');
    const count = stringOption(args, 'count');
    const intervalMs = interval === undefined ? 1000 : parseWholeNumber(interval, '--interval', '1000');
    const countN = count === undefined ? undefined : parseWholeNumber(count, '--count', '5');
    return withClient(io, async (client) => {
      const signals = interrupted();
      try {
        await runStats(client, io, { json: flag(args, 'json'), intervalMs, count: countN, stop: signals.stop });
      } finally {
        signals.dispose();
      }
    });
  },
};
