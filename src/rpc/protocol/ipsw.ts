// Protocol v1, "Restore images and installs" (helper/PROTOCOL.md; Swift: IpswProtocol.swift): ipsw/*.
import { notification, request } from '../declare.js';
import { arrayOf, bool, nullable, num, object, oneOf, optional, str, type Decoder } from '../decode.js';
import { decodeEmptyParams, decodeNull } from './common.js';

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

export const ipswLatestRequest = request('ipsw/latest', decodeEmptyParams, decodeIpswLatestResult);
export const ipswDownloadRequest = request('ipsw/download', decodeIpswDownloadParams, decodeIpswDownloadResult);
export const ipswListRequest = request('ipsw/list', decodeEmptyParams, decodeIpswListResult);
export const ipswDeleteRequest = request('ipsw/delete', decodeIpswDeleteParams, decodeNull);
export const ipswProgressNotification = notification('ipsw/progress', decodeIpswProgressParams);
