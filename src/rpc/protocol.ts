// Protocol v1 (helper/PROTOCOL.md): one message type per method, its TS types, and decoders
// that turn unknown JSON into those types. Change this file, PROTOCOL.md and the fixtures together.
import { NotificationType, NotificationType0, ParameterStructures, RequestType, RequestType0 } from 'vscode-jsonrpc/node';
import { arrayOf, bool, nul, nullable, num, object, oneOf, optional, str, type Decoder } from './decode.js';

export const PROTOCOL_VERSION = 1;

export type Platform = 'linux' | 'macos';
export type Arch = 'x86_64' | 'arm64';
export type Backend = 'qemu' | 'vz';
export type Accelerator = 'kvm' | 'tcg' | 'vz';
export type Rosetta = 'notSupported' | 'notInstalled' | 'installed';

export interface InitializeParams {
  clientName: string;
  clientVersion: string;
  protocolVersion: number;
}

export interface Capabilities {
  methods: string[];
  macosGuests: boolean;
  linuxGuests: boolean;
  saveRestore: boolean;
}

export interface InitializeResult {
  helperVersion: string;
  // A number, not the literal 1, so a mismatch reaches the client's clear check.
  protocolVersion: number;
  platform: Platform;
  arch: Arch;
  backend: Backend;
  capabilities: Capabilities;
}

// host/info takes no params; the client sends an empty object.
export type EmptyParams = Record<string, never>;

/** macOS-guest slots: used of max (two per Mac), and the VMs holding them. */
export interface MacosSlots {
  used: number;
  max: number;
  vms: string[];
}

export interface HostInfo {
  hostname: string;
  os: { name: string; version: string; kernel: string };
  arch: Arch;
  chip: string;
  cpuCores: number;
  memoryBytes: number;
  /** In use now (Linux: MemTotal − MemAvailable). */
  memoryUsedBytes: number;
  freeDiskBytes: number;
  totalDiskBytes: number;
  vmtuiHome: string;
  virtualization: { accelerator: Accelerator; hardware: boolean; note: string };
  /** The running macOS VMs in `vms`; null where macOS guests cannot run. */
  macosSlots: MacosSlots | null;
  rosetta: Rosetta;
  nestedVirtualization: boolean;
  saveRestore: boolean;
}

// error.data: application errors always carry a kind; some kinds carry more.
export type ErrorData =
  | { kind: 'invalidName' | 'alreadyExists' | 'unsupported' | 'cancelled' | 'hostUnreachable' }
  | { kind: 'notFound'; path?: string }
  | { kind: 'alreadyRunning'; pid: number }
  | { kind: 'invalidState'; state: string }
  | { kind: 'corruptConfig'; path: string }
  | { kind: 'limitExceeded'; limit: number }
  | { kind: 'io'; path: string; errno: number }
  | { kind: 'diskFull'; path: string }
  | { kind: 'backend'; detail: string }
  | { kind: 'invalidParams'; field: string };

export type ErrorKind = ErrorData['kind'];

// --- VMs and console (PROTOCOL.md "VMs", "Console") ------------------------------------------

export const VM_STATES = [
  'stopped', 'starting', 'running', 'pausing', 'paused', 'resuming',
  'stopping', 'saving', 'restoring', 'error', 'installing', 'suspended',
  // serve's view of a host that holds the lock but missed its deadline (PROTOCOL.md "Deadlines")
  'notAnswering',
] as const;
export type VMState = (typeof VM_STATES)[number];
export type GuestOS = 'linux' | 'macos';

/** How the guest boots. Paths are absolute once the helper has stored them. */
export type BootConfig =
  | { kind: 'kernel'; kernel: string; initrd?: string; cmdline: string }
  | { kind: 'efi'; iso?: string }
  | { kind: 'macos' };

export type AddressSource = 'dhcpLeases' | 'arp' | 'guestConsole' | 'userNet';
/** A guest's own address, the source that gave it and how long ago that source last showed it. */
export interface GuestAddress {
  ip: string;
  source: AddressSource;
  ageSeconds: number;
}

export interface VMInfo {
  name: string;
  state: VMState;
  /** Explains "error", and a host that does not answer. */
  stateReason?: string;
  os: GuestOS;
  arch: string;
  cpuCount: number;
  memoryBytes: number;
  diskBytes: number;
  diskAllocatedBytes: number;
  macAddress: string;
  boot: BootConfig;
  createdAt: string;
  hostPid?: number;
  vmPid?: number;
  accelerator?: string;
  /** "127.0.0.1:40022": for QEMU, the host port forwarded to the guest's SSH port. */
  sshAddress?: string;
  startedAt?: string;
  /** The guest's own address where the backend knows it (VZ NAT). */
  address?: GuestAddress;
}

export interface VMProblem {
  name: string;
  message: string;
}

export interface VMListResult {
  vms: VMInfo[];
  problems: VMProblem[];
}

export interface VMNameParams {
  name: string;
}

export interface VMCreateParams {
  name: string;
  os?: GuestOS;
  cpuCount?: number;
  memoryBytes?: number;
  diskBytes?: number;
  boot: BootConfig;
  /** Allow a sparse disk larger than the free space now. */
  sparseOvercommit?: boolean;
  /** macOS guests: the local restore image (.ipsw) that vm/install installs from. */
  ipsw?: string;
}

export interface VMRenameParams {
  name: string;
  newName: string;
}

export interface VMConfigureParams {
  name: string;
  cpuCount?: number;
  memoryBytes?: number;
  diskBytes?: number;
  detachISO?: boolean;
  sparseOvercommit?: boolean;
}

export interface VMStopParams {
  name: string;
  /** Skip the power button and quit the hypervisor at once. */
  force?: boolean;
  /** How long the guest gets after the power button (default 30 000). */
  timeoutMs?: number;
}

export interface ConsoleWriteParams {
  name: string;
  data: string;
}

export interface ConsoleAttachResult {
  /** Recent console output (up to 16 KiB), shown before live data. */
  tail: string;
}

/** A stop-ladder rung named in vm/stateChanged. */
export type StopStep = 'powerButton' | 'forceQuit';

export interface StateChangedParams {
  name: string;
  state: VMState;
  /** Usually a StopStep; kept as a string so a new rung does not break decoding. */
  step?: string;
  reason?: string;
  time: string;
}

export interface ConsoleDataParams {
  name: string;
  data: string;
}

/** vm/ip: where to reach a running guest; `note` says why there is no address (yet). */
export interface VMIPResult {
  address?: GuestAddress;
  sshAddress?: string;
  note?: string;
}

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: ErrorData;
}

// --- Method types ---------------------------------------------------------------------------

export const initializeRequest = new RequestType<InitializeParams, InitializeResult, ErrorData>(
  'initialize',
  ParameterStructures.byName,
);
export const shutdownRequest = new RequestType0<null, ErrorData>('shutdown');
export const exitNotification = new NotificationType0('exit');
export const hostInfoRequest = new RequestType<EmptyParams, HostInfo, ErrorData>(
  'host/info',
  ParameterStructures.byName,
);

const byName = ParameterStructures.byName;
export const vmListRequest = new RequestType<EmptyParams, VMListResult, ErrorData>('vm/list', byName);
export const vmGetRequest = new RequestType<VMNameParams, VMInfo, ErrorData>('vm/get', byName);
export const vmCreateRequest = new RequestType<VMCreateParams, VMInfo, ErrorData>('vm/create', byName);
export const vmDeleteRequest = new RequestType<VMNameParams, null, ErrorData>('vm/delete', byName);
export const vmRenameRequest = new RequestType<VMRenameParams, VMInfo, ErrorData>('vm/rename', byName);
export const vmConfigureRequest = new RequestType<VMConfigureParams, VMInfo, ErrorData>('vm/configure', byName);
export const vmStartRequest = new RequestType<VMNameParams, VMInfo, ErrorData>('vm/start', byName);
export const vmStopRequest = new RequestType<VMStopParams, VMInfo, ErrorData>('vm/stop', byName);
export const vmPauseRequest = new RequestType<VMNameParams, VMInfo, ErrorData>('vm/pause', byName);
export const vmResumeRequest = new RequestType<VMNameParams, VMInfo, ErrorData>('vm/resume', byName);
export const vmIpRequest = new RequestType<VMNameParams, VMIPResult, ErrorData>('vm/ip', byName);
export const consoleAttachRequest = new RequestType<VMNameParams, ConsoleAttachResult, ErrorData>('console/attach', byName);
export const consoleWriteRequest = new RequestType<ConsoleWriteParams, null, ErrorData>('console/write', byName);
export const consoleDetachRequest = new RequestType<VMNameParams, null, ErrorData>('console/detach', byName);
export const stateChangedNotification = new NotificationType<StateChangedParams>('vm/stateChanged', byName);
export const consoleDataNotification = new NotificationType<ConsoleDataParams>('console/data', byName);

// --- Decoders -------------------------------------------------------------------------------

const platform = oneOf('linux', 'macos');
const arch = oneOf('x86_64', 'arm64');

export const decodeInitializeParams: Decoder<InitializeParams> = object<InitializeParams>({
  clientName: str,
  clientVersion: str,
  protocolVersion: num,
});

export const decodeInitializeResult: Decoder<InitializeResult> = object<InitializeResult>({
  helperVersion: str,
  protocolVersion: num,
  platform,
  arch,
  backend: oneOf('qemu', 'vz'),
  capabilities: object<Capabilities>({
    methods: arrayOf(str),
    macosGuests: bool,
    linuxGuests: bool,
    saveRestore: bool,
  }),
});

export const decodeEmptyParams: Decoder<EmptyParams> = object<EmptyParams>({});

export const decodeMacosSlots: Decoder<MacosSlots> = object<MacosSlots>({ used: num, max: num, vms: arrayOf(str) });

export const decodeHostInfo: Decoder<HostInfo> = object<HostInfo>({
  hostname: str,
  os: object<HostInfo['os']>({ name: str, version: str, kernel: str }),
  arch,
  chip: str,
  cpuCores: num,
  memoryBytes: num,
  memoryUsedBytes: num,
  freeDiskBytes: num,
  totalDiskBytes: num,
  vmtuiHome: str,
  virtualization: object<HostInfo['virtualization']>({
    accelerator: oneOf('kvm', 'tcg', 'vz'),
    hardware: bool,
    note: str,
  }),
  macosSlots: nullable(decodeMacosSlots),
  rosetta: oneOf('notSupported', 'notInstalled', 'installed'),
  nestedVirtualization: bool,
  saveRestore: bool,
});

export const decodeNull: Decoder<null> = nul;

export const vmState = oneOf(...VM_STATES);
const guestOS = oneOf('linux', 'macos');

type BootOf<K extends BootConfig['kind']> = Extract<BootConfig, { kind: K }>;
const bootShapes: { [K in BootConfig['kind']]: Decoder<BootOf<K>> } = {
  kernel: object<BootOf<'kernel'>>({ kind: oneOf('kernel'), kernel: str, initrd: optional(str), cmdline: str }),
  efi: object<BootOf<'efi'>>({ kind: oneOf('efi'), iso: optional(str) }),
  macos: object<BootOf<'macos'>>({ kind: oneOf('macos') }),
};

export const decodeBootConfig: Decoder<BootConfig> = (v, path) => {
  const { kind } = object<{ kind: BootConfig['kind'] }>({ kind: oneOf('kernel', 'efi', 'macos') })(v, path);
  return bootShapes[kind](v, path);
};

export const decodeGuestAddress: Decoder<GuestAddress> = object<GuestAddress>({
  ip: str,
  source: oneOf('dhcpLeases', 'arp', 'guestConsole', 'userNet'),
  ageSeconds: num,
});

export const decodeVMInfo: Decoder<VMInfo> = object<VMInfo>({
  name: str,
  state: vmState,
  stateReason: optional(str),
  os: guestOS,
  arch: str,
  cpuCount: num,
  memoryBytes: num,
  diskBytes: num,
  diskAllocatedBytes: num,
  macAddress: str,
  boot: decodeBootConfig,
  createdAt: str,
  hostPid: optional(num),
  vmPid: optional(num),
  accelerator: optional(str),
  sshAddress: optional(str),
  startedAt: optional(str),
  address: optional(decodeGuestAddress),
});

export const decodeVMIPResult: Decoder<VMIPResult> = object<VMIPResult>({
  address: optional(decodeGuestAddress),
  sshAddress: optional(str),
  note: optional(str),
});

const decodeVMProblem = object<VMProblem>({ name: str, message: str });

export const decodeVMListResult: Decoder<VMListResult> = object<VMListResult>({
  vms: arrayOf(decodeVMInfo),
  problems: arrayOf(decodeVMProblem),
});

export const decodeVMNameParams: Decoder<VMNameParams> = object<VMNameParams>({ name: str });

export const decodeVMCreateParams: Decoder<VMCreateParams> = object<VMCreateParams>({
  name: str,
  os: optional(guestOS),
  cpuCount: optional(num),
  memoryBytes: optional(num),
  diskBytes: optional(num),
  boot: decodeBootConfig,
  sparseOvercommit: optional(bool),
  ipsw: optional(str),
});

export const decodeVMRenameParams: Decoder<VMRenameParams> = object<VMRenameParams>({ name: str, newName: str });

export const decodeVMConfigureParams: Decoder<VMConfigureParams> = object<VMConfigureParams>({
  name: str,
  cpuCount: optional(num),
  memoryBytes: optional(num),
  diskBytes: optional(num),
  detachISO: optional(bool),
  sparseOvercommit: optional(bool),
});

export const decodeVMStopParams: Decoder<VMStopParams> = object<VMStopParams>({
  name: str,
  force: optional(bool),
  timeoutMs: optional(num),
});

export const decodeConsoleWriteParams: Decoder<ConsoleWriteParams> = object<ConsoleWriteParams>({ name: str, data: str });
export const decodeConsoleAttachResult: Decoder<ConsoleAttachResult> = object<ConsoleAttachResult>({ tail: str });

export const decodeStateChangedParams: Decoder<StateChangedParams> = object<StateChangedParams>({
  name: str,
  state: vmState,
  step: optional(str),
  reason: optional(str),
  time: str,
});

export const decodeConsoleDataParams: Decoder<ConsoleDataParams> = object<ConsoleDataParams>({ name: str, data: str });

type Extra<K extends ErrorKind> = Omit<Extract<ErrorData, { kind: K }>, 'kind'>;
const errorExtras: { [K in ErrorKind]: Decoder<Extra<K>> } = {
  invalidName: object({}),
  notFound: object<Extra<'notFound'>>({ path: optional(str) }),
  alreadyExists: object({}),
  unsupported: object({}),
  cancelled: object({}),
  hostUnreachable: object({}),
  alreadyRunning: object<Extra<'alreadyRunning'>>({ pid: num }),
  invalidState: object<Extra<'invalidState'>>({ state: str }),
  corruptConfig: object<Extra<'corruptConfig'>>({ path: str }),
  limitExceeded: object<Extra<'limitExceeded'>>({ limit: num }),
  io: object<Extra<'io'>>({ path: str, errno: num }),
  diskFull: object<Extra<'diskFull'>>({ path: str }),
  backend: object<Extra<'backend'>>({ detail: str }),
  invalidParams: object<Extra<'invalidParams'>>({ field: str }),
};
const errorKind = oneOf(...(Object.keys(errorExtras) as ErrorKind[]));

export const decodeErrorData: Decoder<ErrorData> = (v, path) => {
  const { kind } = object<{ kind: ErrorKind }>({ kind: errorKind })(v, path);
  return { kind, ...errorExtras[kind](v, path) } as ErrorData;
};

export const decodeRpcError: Decoder<RpcErrorObject> = object<RpcErrorObject>({
  code: num,
  message: str,
  data: optional(decodeErrorData),
});

// --- Clones and snapshots (PROTOCOL.md "Snapshots and clones") ---------------------------------

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

export const vmCloneRequest = new RequestType<VMCloneParams, VMCloneResult, ErrorData>('vm/clone', byName);
export const snapshotCreateRequest = new RequestType<SnapshotCreateParams, SnapshotInfo, ErrorData>('snapshot/create', byName);
export const snapshotListRequest = new RequestType<SnapshotListParams, SnapshotListResult, ErrorData>('snapshot/list', byName);
export const snapshotRestoreRequest = new RequestType<SnapshotRefParams, SnapshotRestoreResult, ErrorData>('snapshot/restore', byName);
export const snapshotDeleteRequest = new RequestType<SnapshotRefParams, null, ErrorData>('snapshot/delete', byName);

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

// Which decoders read each method's params and result. `params: null` = the method takes none.
export interface MethodCodec {
  kind: 'request' | 'notification';
  params: Decoder<unknown> | null;
  result?: Decoder<unknown>;
}

export const methodCodecs: Record<string, MethodCodec> = {
  [initializeRequest.method]: { kind: 'request', params: decodeInitializeParams, result: decodeInitializeResult },
  [shutdownRequest.method]: { kind: 'request', params: null, result: decodeNull },
  [exitNotification.method]: { kind: 'notification', params: null },
  [hostInfoRequest.method]: { kind: 'request', params: decodeEmptyParams, result: decodeHostInfo },
  [vmListRequest.method]: { kind: 'request', params: decodeEmptyParams, result: decodeVMListResult },
  [vmGetRequest.method]: { kind: 'request', params: decodeVMNameParams, result: decodeVMInfo },
  [vmCreateRequest.method]: { kind: 'request', params: decodeVMCreateParams, result: decodeVMInfo },
  [vmDeleteRequest.method]: { kind: 'request', params: decodeVMNameParams, result: decodeNull },
  [vmRenameRequest.method]: { kind: 'request', params: decodeVMRenameParams, result: decodeVMInfo },
  [vmConfigureRequest.method]: { kind: 'request', params: decodeVMConfigureParams, result: decodeVMInfo },
  [vmStartRequest.method]: { kind: 'request', params: decodeVMNameParams, result: decodeVMInfo },
  [vmStopRequest.method]: { kind: 'request', params: decodeVMStopParams, result: decodeVMInfo },
  [vmPauseRequest.method]: { kind: 'request', params: decodeVMNameParams, result: decodeVMInfo },
  [vmResumeRequest.method]: { kind: 'request', params: decodeVMNameParams, result: decodeVMInfo },
  [vmIpRequest.method]: { kind: 'request', params: decodeVMNameParams, result: decodeVMIPResult },
  [consoleAttachRequest.method]: { kind: 'request', params: decodeVMNameParams, result: decodeConsoleAttachResult },
  [consoleWriteRequest.method]: { kind: 'request', params: decodeConsoleWriteParams, result: decodeNull },
  [consoleDetachRequest.method]: { kind: 'request', params: decodeVMNameParams, result: decodeNull },
  [stateChangedNotification.method]: { kind: 'notification', params: decodeStateChangedParams },
  [consoleDataNotification.method]: { kind: 'notification', params: decodeConsoleDataParams },
  [vmCloneRequest.method]: { kind: 'request', params: decodeVMCloneParams, result: decodeVMCloneResult },
  [snapshotCreateRequest.method]: { kind: 'request', params: decodeSnapshotCreateParams, result: decodeSnapshotInfo },
  [snapshotListRequest.method]: { kind: 'request', params: decodeSnapshotListParams, result: decodeSnapshotListResult },
  [snapshotRestoreRequest.method]: { kind: 'request', params: decodeSnapshotRefParams, result: decodeSnapshotRestoreResult },
  [snapshotDeleteRequest.method]: { kind: 'request', params: decodeSnapshotRefParams, result: decodeNull },
};
