// Protocol v1, "VMs" and "Console" (helper/PROTOCOL.md; Swift: VMProtocol.swift, VMChangedProtocol.swift):
// vm/*, console/*, vm/stateChanged, vm/changed and console/data.
import { notification, request } from '../declare.js';
import { arrayOf, bool, num, object, oneOf, optional, str, type Decoder } from '../decode.js';
import {
  decodeEmptyParams,
  decodeGuestAddress,
  decodeNull,
  decodeVMProblem,
  type GuestAddress,
  type VMProblem,
} from './common.js';
import { decodeForward, decodeForwardRemoval, decodeVMSSHInfo, type Forward, type ForwardRemoval, type VMSSHInfo } from './forward.js';
import {
  decodeKeyboardKind,
  decodeShareParams,
  decodeSharedFolder,
  decodeShareTransportInfo,
  type KeyboardKind,
  type ShareParams,
  type SharedFolder,
  type ShareTransportInfo,
} from './share.js';

export const VM_STATES = [
  'stopped', 'starting', 'running', 'pausing', 'paused', 'resuming',
  'stopping', 'saving', 'restoring', 'error', 'installing', 'suspended',
  // The guest rebooted itself; it runs again once it prints on its console.
  'restarting',
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
  /** Where SSH reaches the guest, and whether its server answers. */
  ssh?: VMSSHInfo;
  forwards?: Forward[];
  /** The guest's screen size; absent when it has none. */
  display?: DisplaySize;
  /** Shared folders, and how a QEMU host carries them (absent when there are none). */
  shares?: SharedFolder[];
  sharing?: ShareTransportInfo;
  /** Present only when set. */
  rosetta?: boolean;
  nestedVirtualization?: boolean;
  keyboard?: KeyboardKind;
}

/** A guest screen's size in pixels. */
export interface DisplaySize {
  width: number;
  height: number;
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
  /** Provisioning (a cloud-init seed): the guest user (default: the host user's name; root becomes "vmtui"). */
  user?: string;
  /** Public key files for that user (default: the helper's ~/.ssh/*.pub). */
  sshKeyFiles?: string[];
  /** A user-data file, read at create and passed on beside vmtui's own #cloud-config. */
  userData?: string;
  /** false = no seed; image VMs get one by default, others when a provisioning field is given. */
  provision?: boolean;
  cpuCount?: number;
  memoryBytes?: number;
  diskBytes?: number;
  /** Required unless `image` is given (an image VM boots EFI from its own disk by default). */
  boot?: BootConfig;
  /** Allow a sparse disk larger than the free space now. */
  sparseOvercommit?: boolean;
  /** macOS guests: the local restore image (.ipsw) that vm/install installs from. */
  ipsw?: string;
  /** The screen size; absent: on (1280×800) for ISO installs and macOS, off otherwise. */
  display?: DisplaySize;
  /** No screen at all (wins over display). */
  noDisplay?: boolean;
  /** Where the VNC server listens: "socket" (default) or "tcp" (127.0.0.1, a password made at each start; on macOS the experimental private server). */
  vnc?: VNCServerKind;
  forwards?: Forward[];
  /** A raw or qcow2 disk image (absolute path or http(s) URL) that becomes the VM's disk; progress in image/progress. */
  image?: string;
  /** Hex SHA-256 the image (file or download) must have. */
  sha256?: string;
  shares?: ShareParams[];
  /** Rosetta for a Linux guest (VZ on Apple silicon), nested virtualization, a macOS guest's keyboard. */
  rosetta?: boolean;
  nestedVirtualization?: boolean;
  keyboard?: KeyboardKind;
}

export type VNCServerKind = 'socket' | 'tcp';

export const decodeVNCServerKind: Decoder<VNCServerKind> = oneOf('socket', 'tcp');

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
  display?: DisplaySize;
  noDisplay?: boolean;
  vnc?: VNCServerKind;
  /** A new host port for the guest's SSH (stopped VMs only). */
  sshPort?: number;
  /** Forwards change at once on a running VM. */
  addForwards?: Forward[];
  removeForwards?: ForwardRemoval[];
  /** Kernel-boot VMs only: a new kernel, initrd ("" removes it) or command line. */
  kernel?: string;
  initrd?: string;
  cmdline?: string;
  /** Shares to add and tags to remove (stopped VMs). */
  addShares?: ShareParams[];
  removeShares?: string[];
  /** true turns on, false off; absent leaves it. */
  rosetta?: boolean;
  nestedVirtualization?: boolean;
  keyboard?: KeyboardKind;
}

export interface VMStopParams {
  name: string;
  /** Skip the power button and quit the hypervisor at once. */
  force?: boolean;
  /** How long the guest gets after the power button (default DEFAULT_STOP_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** vm/stop's default for timeoutMs (the helper applies it when the field is absent). */
export const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/** vm/ip: where to reach a running guest; `note` says why there is no address (yet). */
export interface VMIPResult {
  address?: GuestAddress;
  sshAddress?: string;
  note?: string;
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
  /** The guest's SSH started (true) or stopped (false, a reboot) answering. */
  sshReady?: boolean;
}

/** What happened to a VM's bundle in vm/changed (state changes come as vm/stateChanged). */
export type VMChange = 'added' | 'removed' | 'renamed' | 'updated';

/** vm/changed: a VM appeared, went, was renamed, or its configuration or snapshots changed, by anyone. */
export interface VMChangedParams {
  name: string;
  change: VMChange;
  /** The VM's name now, for `renamed`. */
  newName?: string;
  time: string;
}

export interface ConsoleDataParams {
  name: string;
  data: string;
}

// --- Decoders -------------------------------------------------------------------------------

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

export const decodeDisplaySize: Decoder<DisplaySize> = object<DisplaySize>({ width: num, height: num });

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
  display: optional(decodeDisplaySize),
  ssh: optional(decodeVMSSHInfo),
  forwards: optional(arrayOf(decodeForward)),
  shares: optional(arrayOf(decodeSharedFolder)),
  sharing: optional(decodeShareTransportInfo),
  rosetta: optional(bool),
  nestedVirtualization: optional(bool),
  keyboard: optional(decodeKeyboardKind),
});

export const decodeVMIPResult: Decoder<VMIPResult> = object<VMIPResult>({
  address: optional(decodeGuestAddress),
  sshAddress: optional(str),
  note: optional(str),
});

export const decodeVMListResult: Decoder<VMListResult> = object<VMListResult>({
  vms: arrayOf(decodeVMInfo),
  problems: arrayOf(decodeVMProblem),
});

export const decodeVMNameParams: Decoder<VMNameParams> = object<VMNameParams>({ name: str });

export const decodeVMCreateParams: Decoder<VMCreateParams> = object<VMCreateParams>({
  name: str,
  os: optional(guestOS),
  user: optional(str),
  sshKeyFiles: optional(arrayOf(str)),
  userData: optional(str),
  provision: optional(bool),
  cpuCount: optional(num),
  memoryBytes: optional(num),
  diskBytes: optional(num),
  boot: optional(decodeBootConfig),
  sparseOvercommit: optional(bool),
  ipsw: optional(str),
  display: optional(decodeDisplaySize),
  noDisplay: optional(bool),
  vnc: optional(decodeVNCServerKind),
  forwards: optional(arrayOf(decodeForward)),
  image: optional(str),
  sha256: optional(str),
  shares: optional(arrayOf(decodeShareParams)),
  rosetta: optional(bool),
  nestedVirtualization: optional(bool),
  keyboard: optional(decodeKeyboardKind),
});

export const decodeVMRenameParams: Decoder<VMRenameParams> = object<VMRenameParams>({ name: str, newName: str });

export const decodeVMConfigureParams: Decoder<VMConfigureParams> = object<VMConfigureParams>({
  name: str,
  cpuCount: optional(num),
  memoryBytes: optional(num),
  diskBytes: optional(num),
  detachISO: optional(bool),
  sparseOvercommit: optional(bool),
  display: optional(decodeDisplaySize),
  noDisplay: optional(bool),
  vnc: optional(decodeVNCServerKind),
  sshPort: optional(num),
  addForwards: optional(arrayOf(decodeForward)),
  removeForwards: optional(arrayOf(decodeForwardRemoval)),
  kernel: optional(str),
  initrd: optional(str),
  cmdline: optional(str),
  addShares: optional(arrayOf(decodeShareParams)),
  removeShares: optional(arrayOf(str)),
  rosetta: optional(bool),
  nestedVirtualization: optional(bool),
  keyboard: optional(decodeKeyboardKind),
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
  sshReady: optional(bool),
});

export const decodeVMChangedParams: Decoder<VMChangedParams> = object<VMChangedParams>({
  name: str,
  change: oneOf('added', 'removed', 'renamed', 'updated'),
  newName: optional(str),
  time: str,
});

export const decodeConsoleDataParams: Decoder<ConsoleDataParams> = object<ConsoleDataParams>({ name: str, data: str });

// --- Methods --------------------------------------------------------------------------------

export const vmListRequest = request('vm/list', decodeEmptyParams, decodeVMListResult);
export const vmGetRequest = request('vm/get', decodeVMNameParams, decodeVMInfo);
export const vmCreateRequest = request('vm/create', decodeVMCreateParams, decodeVMInfo);
export const vmDeleteRequest = request('vm/delete', decodeVMNameParams, decodeNull);
export const vmRenameRequest = request('vm/rename', decodeVMRenameParams, decodeVMInfo);
export const vmConfigureRequest = request('vm/configure', decodeVMConfigureParams, decodeVMInfo);
export const vmStartRequest = request('vm/start', decodeVMNameParams, decodeVMInfo);
export const vmStopRequest = request('vm/stop', decodeVMStopParams, decodeVMInfo);
export const vmPauseRequest = request('vm/pause', decodeVMNameParams, decodeVMInfo);
export const vmResumeRequest = request('vm/resume', decodeVMNameParams, decodeVMInfo);
export const vmIpRequest = request('vm/ip', decodeVMNameParams, decodeVMIPResult);
export const consoleAttachRequest = request('console/attach', decodeVMNameParams, decodeConsoleAttachResult);
export const consoleWriteRequest = request('console/write', decodeConsoleWriteParams, decodeNull);
export const consoleDetachRequest = request('console/detach', decodeVMNameParams, decodeNull);
export const stateChangedNotification = notification('vm/stateChanged', decodeStateChangedParams);
export const vmChangedNotification = notification('vm/changed', decodeVMChangedParams);
export const consoleDataNotification = notification('console/data', decodeConsoleDataParams);
