// Protocol v1, "Snapshots and clones" (helper/PROTOCOL.md; Swift: SnapshotProtocol.swift):
// vm/clone and snapshot/*.
import { notification, request } from '../declare.js';
import { arrayOf, bool, nullable, num, object, oneOf, optional, str } from '../decode.js';
import { decodeNull, decodeVMProblem, type VMProblem } from './common.js';
import { decodeVMInfo, type VMInfo } from './vm.js';

export type CloneStrategy = 'clonefile' | 'reflink' | 'sparseCopy';
export interface SpaceUsage { logicalBytes: number; allocatedBytes: number }
export interface VMCloneParams { source: string; target: string }
export interface VMCloneResult { vm: VMInfo; strategy: CloneStrategy; pausedForClone: boolean }
export interface SnapshotCreateParams { vm: string; name: string; note?: string }
export interface SnapshotRefParams { vm: string; name: string }
export interface SnapshotListParams { vm: string }
export interface SnapshotInfo {
  name: string;
  /** null for a root snapshot (always present on the wire). */
  parent: string | null;
  children: string[];
  createdAt: string;
  note?: string;
  logicalBytes: number;
  allocatedBytes: number;
  strategy: CloneStrategy;
  savedState: boolean;
}
export interface SnapshotListResult {
  vm: string;
  snapshots: SnapshotInfo[];
  /** The snapshot the VM's current disk descends from, or null. */
  current: string | null;
  vmSpace: SpaceUsage;
  snapshotsSpace: SpaceUsage;
  problems: VMProblem[];
}
export interface SnapshotRestoreResult { vm: VMInfo; current: string; strategy: CloneStrategy }
/** What a long copy makes: a clone (`name`: the new VM), a snapshot, or a restore (`name`: the snapshot). */
export type CopyOperation = 'clone' | 'snapshot' | 'restore';
/** A few a second while vm/clone or snapshot/create|restore copies data (none for a copy-on-write clone). */
export interface CopyProgressParams {
  /** The VM whose files are copied (a clone's source). */
  vm: string;
  operation: CopyOperation;
  name: string;
  /** Data bytes copied so far and in all (holes are not copied, so not counted). */
  doneBytes: number;
  totalBytes: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
}

const decodeCloneStrategy = oneOf('clonefile', 'reflink', 'sparseCopy');
const decodeSpace = object<SpaceUsage>({ logicalBytes: num, allocatedBytes: num });
export const decodeVMCloneParams = object<VMCloneParams>({ source: str, target: str });
export const decodeVMCloneResult = object<VMCloneResult>({ vm: decodeVMInfo, strategy: decodeCloneStrategy, pausedForClone: bool });
export const decodeSnapshotCreateParams = object<SnapshotCreateParams>({ vm: str, name: str, note: optional(str) });
export const decodeSnapshotRefParams = object<SnapshotRefParams>({ vm: str, name: str });
export const decodeSnapshotListParams = object<SnapshotListParams>({ vm: str });
export const decodeSnapshotInfo = object<SnapshotInfo>({
  name: str,
  parent: nullable(str),
  children: arrayOf(str),
  createdAt: str,
  note: optional(str),
  logicalBytes: num,
  allocatedBytes: num,
  strategy: decodeCloneStrategy,
  savedState: bool,
});
export const decodeSnapshotListResult = object<SnapshotListResult>({
  vm: str,
  snapshots: arrayOf(decodeSnapshotInfo),
  current: nullable(str),
  vmSpace: decodeSpace,
  snapshotsSpace: decodeSpace,
  problems: arrayOf(decodeVMProblem),
});
export const decodeSnapshotRestoreResult = object<SnapshotRestoreResult>({ vm: decodeVMInfo, current: str, strategy: decodeCloneStrategy });
export const decodeCopyProgressParams = object<CopyProgressParams>({
  vm: str,
  operation: oneOf('clone', 'snapshot', 'restore'),
  name: str,
  doneBytes: num,
  totalBytes: num,
  bytesPerSecond: num,
  etaSeconds: nullable(num),
});

export const vmCloneRequest = request('vm/clone', decodeVMCloneParams, decodeVMCloneResult);
export const snapshotCreateRequest = request('snapshot/create', decodeSnapshotCreateParams, decodeSnapshotInfo);
export const snapshotListRequest = request('snapshot/list', decodeSnapshotListParams, decodeSnapshotListResult);
export const snapshotRestoreRequest = request('snapshot/restore', decodeSnapshotRefParams, decodeSnapshotRestoreResult);
export const snapshotDeleteRequest = request('snapshot/delete', decodeSnapshotRefParams, decodeNull);
export const copyProgressNotification = notification('copy/progress', decodeCopyProgressParams);
