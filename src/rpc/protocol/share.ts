// Protocol v1, shared folders, Rosetta, nested virtualization and the keyboard (helper/PROTOCOL.md
// "Shared folders and guest features"; Swift: VMShares.swift, RosettaProtocol.swift).
import { request } from '../declare.js';
import { bool, object, oneOf, optional, str, type Decoder } from '../decode.js';
import { decodeEmptyParams } from './common.js';
import type { Rosetta } from './host.js';

/** A shared folder asked for at create/configure: the tag defaults to the folder's name. */
export interface ShareParams {
  path: string;
  tag?: string;
  readOnly?: boolean;
}

/** A shared folder as config.json keeps it (the path absolute, symlinks resolved). */
export interface SharedFolder {
  tag: string;
  path: string;
  readOnly: boolean;
}

/** How a QEMU host carries shares: "virtiofs", or "9p" with a sentence saying why. */
export interface ShareTransportInfo {
  transport: string;
  note?: string;
}

export type KeyboardKind = 'mac' | 'usb';

export interface RosettaInstallResult {
  rosetta: Rosetta;
  message: string;
}

export const decodeKeyboardKind: Decoder<KeyboardKind> = oneOf('mac', 'usb');
export const decodeShareParams: Decoder<ShareParams> = object<ShareParams>({ path: str, tag: optional(str), readOnly: optional(bool) });
export const decodeSharedFolder: Decoder<SharedFolder> = object<SharedFolder>({ tag: str, path: str, readOnly: bool });
export const decodeShareTransportInfo: Decoder<ShareTransportInfo> = object<ShareTransportInfo>({ transport: str, note: optional(str) });
export const decodeRosettaInstallResult: Decoder<RosettaInstallResult> = object<RosettaInstallResult>({
  rosetta: oneOf('notSupported', 'notInstalled', 'installed'),
  message: str,
});

export const rosettaInstallRequest = request('rosetta/install', decodeEmptyParams, decodeRosettaInstallResult);
