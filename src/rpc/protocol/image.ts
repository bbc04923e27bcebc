// Protocol v1, "Disk images" (helper/PROTOCOL.md; Swift: ImageProtocol.swift): the progress of
// vm/create {image}. The image itself travels in vm/create's params (protocol/vm.ts).
import { notification } from '../declare.js';
import { nullable, num, object, oneOf, str } from '../decode.js';

export type ImagePhase = 'connecting' | 'downloading' | 'verifying' | 'importing';

/** At most a few per second while vm/create downloads (a URL) or imports an image. */
export interface ImageProgressParams {
  /** The VM being created. */
  name: string;
  phase: ImagePhase;
  doneBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
}

export const decodeImageProgressParams = object<ImageProgressParams>({
  name: str,
  phase: oneOf('connecting', 'downloading', 'verifying', 'importing'),
  doneBytes: num,
  totalBytes: nullable(num),
  bytesPerSecond: num,
  etaSeconds: nullable(num),
});

export const imageProgressNotification = notification('image/progress', decodeImageProgressParams);
