// Protocol v1, "Restore images and installs" (helper/PROTOCOL.md; Swift: VMInstallProtocol.swift): vm/install and
// vm/installProgress.
import { notification, request } from '../declare.js';
import { num, object, str } from '../decode.js';
import { decodeNull } from './common.js';

/** vm/install: installs macOS from the IPSW the VM was created with (VZ only). */
export interface VMInstallParams {
  name: string;
}

export interface InstallProgressParams {
  name: string;
  /** 0 … 1 */
  fraction: number;
  phase: string;
}

export const decodeVMInstallParams = object<VMInstallParams>({ name: str });
export const decodeInstallProgressParams = object<InstallProgressParams>({ name: str, fraction: num, phase: str });

export const vmInstallRequest = request('vm/install', decodeVMInstallParams, decodeNull);
export const installProgressNotification = notification('vm/installProgress', decodeInstallProgressParams);
