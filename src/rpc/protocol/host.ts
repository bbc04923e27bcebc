// Protocol v1, "Host" (helper/PROTOCOL.md; Swift: HostInfo.swift): host/info.
import { request } from '../declare.js';
import { bool, nullable, num, object, oneOf, str, type Decoder } from '../decode.js';
import { decodeArch, decodeEmptyParams, decodeMacosSlots, type Arch, type MacosSlots } from './common.js';

export type Accelerator = 'kvm' | 'tcg' | 'vz';
export type Rosetta = 'notSupported' | 'notInstalled' | 'installed';

export interface HostInfo {
  hostname: string;
  os: { name: string; version: string; kernel: string };
  arch: Arch;
  chip: string;
  cpuCores: number;
  memoryBytes: number;
  /** In use now (Linux: MemTotal − MemAvailable). */
  memoryUsedBytes: number;
  freeDiskBytes: number;
  totalDiskBytes: number;
  vmtuiHome: string;
  virtualization: { accelerator: Accelerator; hardware: boolean; note: string };
  /** The running macOS VMs in `vms`; null where macOS guests cannot run. */
  macosSlots: MacosSlots | null;
  rosetta: Rosetta;
  nestedVirtualization: boolean;
  saveRestore: boolean;
}

export const decodeHostInfo: Decoder<HostInfo> = object<HostInfo>({
  hostname: str,
  os: object<HostInfo['os']>({ name: str, version: str, kernel: str }),
  arch: decodeArch,
  chip: str,
  cpuCores: num,
  memoryBytes: num,
  memoryUsedBytes: num,
  freeDiskBytes: num,
  totalDiskBytes: num,
  vmtuiHome: str,
  virtualization: object<HostInfo['virtualization']>({
    accelerator: oneOf('kvm', 'tcg', 'vz'),
    hardware: bool,
    note: str,
  }),
  macosSlots: nullable(decodeMacosSlots),
  rosetta: oneOf('notSupported', 'notInstalled', 'installed'),
  nestedVirtualization: bool,
  saveRestore: bool,
});

export const hostInfoRequest = request('host/info', decodeEmptyParams, decodeHostInfo);
