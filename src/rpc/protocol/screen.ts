// Protocol v1, "Screen" (helper/PROTOCOL.md; Swift: ScreenProtocol.swift): vm/screenshot,
// vm/screenFrame, vm/sendKeys, vm/vnc.
import { request } from '../declare.js';
import { arrayOf, num, object, oneOf, optional, str, type Decoder } from '../decode.js';
import { decodeNull } from './common.js';
import { decodeVMNameParams } from './vm.js';

export interface ScreenshotParams {
  name: string;
  /** Only "png". */
  format?: 'png';
}

export interface ScreenshotResult {
  width: number;
  height: number;
  pngBase64: string;
}

/** Key names: "a", "A", "!", "Enter", "Esc", "Tab", "Backspace", "Up", "F5", "Ctrl-C", "Alt-F2" … */
export interface SendKeysParams {
  name: string;
  keys: string[];
}

/** The screen scaled by the helper to width×height pixels; `previous` is the digest the client has. */
export interface ScreenFrameParams {
  name: string;
  width: number;
  height: number;
  previous?: string;
}

export interface ScreenFrameResult {
  sourceWidth: number;
  sourceHeight: number;
  width: number;
  height: number;
  digest: string;
  /** width·height·3 bytes of RGB; absent when the frame equals `previous`. */
  rgbBase64?: string;
}

export interface VNCInfoResult {
  socketPath?: string;
  address?: string;
  password?: string;
}

export const decodeScreenshotParams: Decoder<ScreenshotParams> = object<ScreenshotParams>({
  name: str,
  format: optional(oneOf('png')),
});
export const decodeScreenshotResult: Decoder<ScreenshotResult> = object<ScreenshotResult>({ width: num, height: num, pngBase64: str });
export const decodeSendKeysParams: Decoder<SendKeysParams> = object<SendKeysParams>({ name: str, keys: arrayOf(str) });
export const decodeScreenFrameParams: Decoder<ScreenFrameParams> = object<ScreenFrameParams>({
  name: str,
  width: num,
  height: num,
  previous: optional(str),
});
export const decodeScreenFrameResult: Decoder<ScreenFrameResult> = object<ScreenFrameResult>({
  sourceWidth: num,
  sourceHeight: num,
  width: num,
  height: num,
  digest: str,
  rgbBase64: optional(str),
});
export const decodeVNCInfoResult: Decoder<VNCInfoResult> = object<VNCInfoResult>({
  socketPath: optional(str),
  address: optional(str),
  password: optional(str),
});

export const vmScreenshotRequest = request('vm/screenshot', decodeScreenshotParams, decodeScreenshotResult);
export const vmScreenFrameRequest = request('vm/screenFrame', decodeScreenFrameParams, decodeScreenFrameResult);
export const vmSendKeysRequest = request('vm/sendKeys', decodeSendKeysParams, decodeNull);
export const vmVncRequest = request('vm/vnc', decodeVMNameParams, decodeVNCInfoResult);
