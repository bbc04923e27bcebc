// Protocol v1, shared types ("Errors" in helper/PROTOCOL.md; Swift: CommonTypes, GuestAddressProtocol, StandardErrors): empty
// params, errors, and the shapes several areas use.
import { arrayOf, nul, num, object, oneOf, optional, str, type Decoder } from '../decode.js';

export type Platform = 'linux' | 'macos';
export type Arch = 'x86_64' | 'arm64';

export const decodePlatform = oneOf('linux', 'macos');
export const decodeArch = oneOf('x86_64', 'arm64');

// Methods without params take an empty object; the client sends `{}`.
export type EmptyParams = Record<string, never>;
export const decodeEmptyParams: Decoder<EmptyParams> = object<EmptyParams>({});
export const decodeNull: Decoder<null> = nul;

/** macOS-guest slots: used of max (two per Mac), and the VMs holding them. */
export interface MacosSlots {
  used: number;
  max: number;
  vms: string[];
}
export const decodeMacosSlots: Decoder<MacosSlots> = object<MacosSlots>({ used: num, max: num, vms: arrayOf(str) });

export type AddressSource = 'dhcpLeases' | 'arp' | 'guestConsole' | 'userNet';
/** A guest's own address, the source that gave it and how long ago that source last showed it. */
export interface GuestAddress {
  ip: string;
  source: AddressSource;
  ageSeconds: number;
}
export const decodeGuestAddress: Decoder<GuestAddress> = object<GuestAddress>({
  ip: str,
  source: oneOf('dhcpLeases', 'arp', 'guestConsole', 'userNet'),
  ageSeconds: num,
});

/** A VM (or snapshot) that could not be read, named with the reason. */
export interface VMProblem {
  name: string;
  message: string;
}
export const decodeVMProblem: Decoder<VMProblem> = object<VMProblem>({ name: str, message: str });

// error.data: application errors always carry a kind; some kinds carry more.
export type ErrorData =
  | { kind: 'invalidName' | 'alreadyExists' | 'unsupported' | 'cancelled' }
  | { kind: 'hostUnreachable'; pid?: number }
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

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: ErrorData;
}

type Extra<K extends ErrorKind> = Omit<Extract<ErrorData, { kind: K }>, 'kind'>;
const errorExtras: { [K in ErrorKind]: Decoder<Extra<K>> } = {
  invalidName: object({}),
  notFound: object<Extra<'notFound'>>({ path: optional(str) }),
  alreadyExists: object({}),
  unsupported: object({}),
  cancelled: object({}),
  hostUnreachable: object<Extra<'hostUnreachable'>>({ pid: optional(num) }),
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
