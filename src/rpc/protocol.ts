// Protocol v1 (helper/PROTOCOL.md): one message type per method, its TS types, and decoders
// that turn unknown JSON into those types. Change this file, PROTOCOL.md and the fixtures together.
import { NotificationType0, ParameterStructures, RequestType, RequestType0 } from 'vscode-jsonrpc/node';
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

export interface HostInfo {
  hostname: string;
  os: { name: string; version: string; kernel: string };
  arch: Arch;
  chip: string;
  cpuCores: number;
  memoryBytes: number;
  freeDiskBytes: number;
  totalDiskBytes: number;
  vmtuiHome: string;
  virtualization: { accelerator: Accelerator; hardware: boolean; note: string };
  macosSlots: { used: number; max: number } | null;
  rosetta: Rosetta;
  nestedVirtualization: boolean;
  saveRestore: boolean;
}

// error.data: application errors always carry a kind; some kinds carry more.
export type ErrorData =
  | { kind: 'invalidName' | 'notFound' | 'alreadyExists' | 'unsupported' | 'cancelled' | 'hostUnreachable' }
  | { kind: 'alreadyRunning'; pid: number }
  | { kind: 'invalidState'; state: string }
  | { kind: 'corruptConfig'; path: string }
  | { kind: 'limitExceeded'; limit: number }
  | { kind: 'io'; path: string; errno: number }
  | { kind: 'diskFull'; path: string }
  | { kind: 'backend'; detail: string }
  | { kind: 'invalidParams'; field: string };

export type ErrorKind = ErrorData['kind'];

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

export const decodeHostInfo: Decoder<HostInfo> = object<HostInfo>({
  hostname: str,
  os: object<HostInfo['os']>({ name: str, version: str, kernel: str }),
  arch,
  chip: str,
  cpuCores: num,
  memoryBytes: num,
  freeDiskBytes: num,
  totalDiskBytes: num,
  vmtuiHome: str,
  virtualization: object<HostInfo['virtualization']>({
    accelerator: oneOf('kvm', 'tcg', 'vz'),
    hardware: bool,
    note: str,
  }),
  macosSlots: nullable(object<{ used: number; max: number }>({ used: num, max: num })),
  rosetta: oneOf('notSupported', 'notInstalled', 'installed'),
  nestedVirtualization: bool,
  saveRestore: bool,
});

export const decodeNull: Decoder<null> = nul;

type Extra<K extends ErrorKind> = Omit<Extract<ErrorData, { kind: K }>, 'kind'>;
const errorExtras: { [K in ErrorKind]: Decoder<Extra<K>> } = {
  invalidName: object({}),
  notFound: object({}),
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
};
