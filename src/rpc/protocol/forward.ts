// Protocol v1, "Guest access" building blocks (helper/PROTOCOL.md; Swift: AccessProtocol.swift,
// PortForward.swift): port forwards and where a guest's SSH is reached.
import { bool, num, object, oneOf, optional, str, type Decoder } from '../decode.js';

export type ForwardProto = 'tcp' | 'udp';

/** A host port forwarded to a guest port (config.json `forwards`). */
export interface Forward {
  proto: ForwardProto;
  hostAddress: string;
  hostPort: number;
  guestPort: number;
}

/** vm/configure `removeForwards`: a host port, of one protocol or (absent) both. */
export interface ForwardRemoval {
  hostPort: number;
  proto?: ForwardProto;
}

/** VMInfo.ssh: where SSH reaches the guest and whether its server answers (its banner was seen). */
export interface VMSSHInfo {
  host: string;
  port: number;
  /** The guest account made by provisioning, when known. */
  user?: string;
  ready: boolean;
}

const proto = oneOf('tcp', 'udp');

export const decodeForward: Decoder<Forward> = object<Forward>({ proto, hostAddress: str, hostPort: num, guestPort: num });
export const decodeForwardRemoval: Decoder<ForwardRemoval> = object<ForwardRemoval>({ hostPort: num, proto: optional(proto) });
export const decodeVMSSHInfo: Decoder<VMSSHInfo> = object<VMSSHInfo>({ host: str, port: num, user: optional(str), ready: bool });
