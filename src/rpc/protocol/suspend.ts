// Protocol v1, "Suspend and resume" (helper/PROTOCOL.md; Swift: SuspendProtocol.swift):
// vm/suspend saves a running or paused VM's state into its bundle and stops it; vm/start resumes it.
import { notification, request } from '../declare.js';
import { num, object, optional, str, type Decoder } from '../decode.js';
import { decodeVMInfo, decodeVMNameParams } from './vm.js';

/** Bytes of the saved state written so far, a few times a second while vm/suspend runs. */
export interface SuspendProgressParams {
  name: string;
  bytesDone: number;
  bytesTotal?: number;
}

export const decodeSuspendProgressParams: Decoder<SuspendProgressParams> = object<SuspendProgressParams>({
  name: str,
  bytesDone: num,
  bytesTotal: optional(num),
});

export const vmSuspendRequest = request('vm/suspend', decodeVMNameParams, decodeVMInfo);
export const suspendProgressNotification = notification('vm/suspendProgress', decodeSuspendProgressParams);
