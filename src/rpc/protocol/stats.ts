// Protocol v1, "Monitoring" (helper/PROTOCOL.md; Swift: StatsProtocol.swift): stats/subscribe,
// stats/unsubscribe, vm/stats, host/stats.
import { notification, request } from '../declare.js';
import { arrayOf, nullable, num, object, optional, str, type Decoder } from '../decode.js';
import {
  decodeEmptyParams,
  decodeGuestAddress,
  decodeMacosSlots,
  decodeNull,
  type GuestAddress,
  type MacosSlots,
} from './common.js';
import { vmState, type VMState } from './vm.js';

export const STATS_INTERVAL_MIN_MS = 250;
export const STATS_INTERVAL_MAX_MS = 10_000;

export interface StatsSubscribeParams {
  intervalMs: number;
}
/** The interval actually used (the request's, clamped to 250 … 10 000 ms). */
export interface StatsSubscribeResult {
  intervalMs: number;
}

export interface VMStats {
  name: string;
  state: VMState;
  /** CPU of the process that runs the guest, % of one core (may exceed 100 with several vCPUs). */
  cpuPercent: number;
  /** The same as % of the whole host (cpuPercent / host cores). */
  hostCpuPercent: number;
  /** Resident memory of that process. */
  residentBytes: number;
  memoryBytes: number;
  diskAllocatedBytes: number;
  diskBytes: number;
  uptimeSeconds: number;
  vmPid?: number;
  address?: GuestAddress;
  sshAddress?: string;
  /** Why this VM could not be sampled this time (its row shows the error). */
  error?: string;
}

export interface VMStatsParams {
  time: string;
  vms: VMStats[];
}

export interface HostStatsParams {
  time: string;
  /** Busy share of all host cores, 0 … 100. */
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  freeDiskBytes: number;
  totalDiskBytes: number;
  macosSlots: MacosSlots | null;
}

export const decodeStatsSubscribeParams = object<StatsSubscribeParams>({ intervalMs: num });
export const decodeStatsSubscribeResult = object<StatsSubscribeResult>({ intervalMs: num });
export const decodeVMStats: Decoder<VMStats> = object<VMStats>({
  name: str,
  state: vmState,
  cpuPercent: num,
  hostCpuPercent: num,
  residentBytes: num,
  memoryBytes: num,
  diskAllocatedBytes: num,
  diskBytes: num,
  uptimeSeconds: num,
  vmPid: optional(num),
  address: optional(decodeGuestAddress),
  sshAddress: optional(str),
  error: optional(str),
});
export const decodeVMStatsParams = object<VMStatsParams>({ time: str, vms: arrayOf(decodeVMStats) });
export const decodeHostStatsParams = object<HostStatsParams>({
  time: str,
  cpuPercent: num,
  memoryUsedBytes: num,
  memoryTotalBytes: num,
  freeDiskBytes: num,
  totalDiskBytes: num,
  macosSlots: nullable(decodeMacosSlots),
});

export const statsSubscribeRequest = request('stats/subscribe', decodeStatsSubscribeParams, decodeStatsSubscribeResult);
export const statsUnsubscribeRequest = request('stats/unsubscribe', decodeEmptyParams, decodeNull);
export const vmStatsNotification = notification('vm/stats', decodeVMStatsParams);
export const hostStatsNotification = notification('host/stats', decodeHostStatsParams);
