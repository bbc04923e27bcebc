// Protocol v1, "Restore images and installs" (helper/PROTOCOL.md): ipsw/* and vm/install.
import { NotificationType, ParameterStructures, RequestType } from 'vscode-jsonrpc/node';
import { arrayOf, bool, nullable, num, object, oneOf, optional, str, type Decoder } from './decode.js';
import { decodeEmptyParams, decodeNull, type ErrorData, type MethodCodec } from './protocol.js';

const byName = ParameterStructures.byName;

/** The newest macOS restore image this host can run (VZ's lookup; macOS hosts only). */
export interface IpswLatestResult {
  version: string;
  build: string;
  url: string;
  /** Absent when the server did not say. */
  sizeBytes?: number;
}

export interface IpswDownloadParams {
  url: string;
  /** Hex SHA-256 the user expects; else the server's digest header is used when present. */
  sha256?: string;
}

export type DigestSource = 'user' | 'server' | 'none';

export interface IpswDownloadResult {
  /** The final cached file under VMTUI_HOME/cache/ipsw/. */
  path: string;
  sizeBytes: number;
  sha256: string;
  /** Which value the download was checked against ("none": no value was available). */
  verifiedWith: DigestSource;
  /** Bytes already on disk from an earlier attempt (0 for a fresh download). */
  resumedFromBytes: number;
}

export type DownloadPhase = 'connecting' | 'downloading' | 'verifying';

/** At most a few per second while ipsw/download runs; `url` says which download. */
export interface IpswProgressParams {
  url: string;
  phase: DownloadPhase;
  receivedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
}

export interface IpswImage {
  /** The cached file's name (what ipsw/delete takes). */
  name: string;
  path: string;
  /** Bytes on disk (for a partial: bytes received so far). */
  sizeBytes: number;
  /** false for a `.partial` download that can be resumed. */
  complete: boolean;
  url?: string;
  totalBytes?: number;
  sha256?: string;
}

export interface IpswListResult {
  images: IpswImage[];
}

export interface IpswDeleteParams {
  name: string;
}

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

export const ipswLatestRequest = new RequestType<Record<string, never>, IpswLatestResult, ErrorData>('ipsw/latest', byName);
export const ipswDownloadRequest = new RequestType<IpswDownloadParams, IpswDownloadResult, ErrorData>('ipsw/download', byName);
export const ipswListRequest = new RequestType<Record<string, never>, IpswListResult, ErrorData>('ipsw/list', byName);
export const ipswDeleteRequest = new RequestType<IpswDeleteParams, null, ErrorData>('ipsw/delete', byName);
export const ipswProgressNotification = new NotificationType<IpswProgressParams>('ipsw/progress', byName);
export const vmInstallRequest = new RequestType<VMInstallParams, null, ErrorData>('vm/install', byName);
export const installProgressNotification = new NotificationType<InstallProgressParams>('vm/installProgress', byName);

export const decodeIpswLatestResult = object<IpswLatestResult>({ version: str, build: str, url: str, sizeBytes: optional(num) });
export const decodeIpswDownloadParams = object<IpswDownloadParams>({ url: str, sha256: optional(str) });
export const decodeIpswDownloadResult = object<IpswDownloadResult>({
  path: str,
  sizeBytes: num,
  sha256: str,
  verifiedWith: oneOf('user', 'server', 'none'),
  resumedFromBytes: num,
});
export const decodeIpswProgressParams = object<IpswProgressParams>({
  url: str,
  phase: oneOf('connecting', 'downloading', 'verifying'),
  receivedBytes: num,
  totalBytes: nullable(num),
  bytesPerSecond: num,
  etaSeconds: nullable(num),
});
export const decodeIpswImage: Decoder<IpswImage> = object<IpswImage>({
  name: str,
  path: str,
  sizeBytes: num,
  complete: bool,
  url: optional(str),
  totalBytes: optional(num),
  sha256: optional(str),
});
export const decodeIpswListResult = object<IpswListResult>({ images: arrayOf(decodeIpswImage) });
export const decodeIpswDeleteParams = object<IpswDeleteParams>({ name: str });
export const decodeVMInstallParams = object<VMInstallParams>({ name: str });
export const decodeInstallProgressParams = object<InstallProgressParams>({ name: str, fraction: num, phase: str });

export const installMethodCodecs: Record<string, MethodCodec> = {
  [ipswLatestRequest.method]: { kind: 'request', params: decodeEmptyParams, result: decodeIpswLatestResult },
  [ipswDownloadRequest.method]: { kind: 'request', params: decodeIpswDownloadParams, result: decodeIpswDownloadResult },
  [ipswListRequest.method]: { kind: 'request', params: decodeEmptyParams, result: decodeIpswListResult },
  [ipswDeleteRequest.method]: { kind: 'request', params: decodeIpswDeleteParams, result: decodeNull },
  [ipswProgressNotification.method]: { kind: 'notification', params: decodeIpswProgressParams },
  [vmInstallRequest.method]: { kind: 'request', params: decodeVMInstallParams, result: decodeNull },
  [installProgressNotification.method]: { kind: 'notification', params: decodeInstallProgressParams },
};
