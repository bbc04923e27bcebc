// The install wizard's rules, as pure functions: what each step accepts, the values it starts
// with, and the words it shows. The wizard hook and the tests call these directly.
import { UsageError } from '../format/usageError.js';
import { parseSize } from '../format/sizes.js';
import { isValidName, newVmNameProblem, uniqueName } from '../rpc/names.js';
import type { GuestOS, HostInfo, IpswImage, IpswLatestResult, VMCreateParams } from '../rpc/protocol.js';
import { expandPath, type PathKind, type PathProbe } from './pathCompletion.js';
import { formatBytes } from '../format/vm.js';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
/** The helper's floor for guest memory (PROTOCOL.md, vm/create). */
export const MIN_MEMORY_BYTES = 64 * MiB;

/** Sentence for a path that should be a file, or undefined when it is one. */
export function fileProblem(text: string, kind: PathKind, absolute: string, what: string): string | undefined {
  if (text.trim() === '') return `Type the path of ${what} (Tab completes names).`;
  switch (kind) {
    case 'file':
      return undefined;
    case 'missing':
      return `There is no file at ${absolute}; check the path (Tab completes names).`;
    case 'directory':
      return `${absolute} is a folder; type the name of ${what} inside it (Tab lists what is there).`;
    case 'other':
      return `${absolute} is not a regular file; choose ${what}.`;
  }
}

/** The absolute path, or the sentence that says why it is not a usable file. */
export function checkFile(text: string, probe: PathProbe, what: string): { path: string } | { error: string } {
  const path = expandPath(text, probe.cwd, probe.home);
  const error = fileProblem(text, text.trim() === '' ? 'missing' : probe.kind(path), path, what);
  return error ? { error } : { path };
}

export function urlProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'Type the web address of a restore image (https://…).';
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return `'${trimmed}' is not a web address; write it in full, as in https://example.com/restore.ipsw.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `'${trimmed}' is not an http or https address; vmtui downloads restore images over HTTP(S).`;
  }
  return undefined;
}

/** The rule and "already exists" from rpc/names, in the helper's own words for an invalid name. */
export function nameProblem(name: string, taken: readonly string[]): string | undefined {
  if (name !== '' && !isValidName(name)) {
    return `'${name}' is not a valid name; use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit.`;
  }
  return newVmNameProblem(name, taken, 'the VM');
}

/** A free name made from a file name ("debian-12.7.0-amd64-netinst.iso" → "debian-12.7.0-amd64-netinst"). */
export function suggestName(from: string, taken: readonly string[], fallback: string): string {
  const base = (from.split('/').pop() ?? '').replace(/\.(iso|ipsw|img)$/i, '');
  let name = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 56);
  if (name === '') name = fallback;
  return uniqueName(name, taken, (n) => (n === 1 ? '' : `-${n}`));
}

/** An image's lowest CPU count and memory, where known (the protocol does not carry them yet). */
export interface GuestMinimum {
  cpuCount?: number;
  memoryBytes?: number;
}

export interface SizeTexts {
  cpus: string;
  memory: string;
  disk: string;
}

export interface Sizes {
  cpuCount: number;
  memoryBytes: number;
  diskBytes: number;
}

/** "2G" for whole GiB, else "512M": what a person would type. */
export function sizeText(bytes: number): string {
  return bytes % GiB === 0 ? `${bytes / GiB}G` : `${Math.max(1, Math.floor(bytes / MiB))}M`;
}

/** Starting values that fit the host: Linux 2 CPUs, 2 GiB, 16 GiB; macOS 4 CPUs, 8 GiB, 64 GiB. */
export function defaultSizes(os: GuestOS, host: HostInfo, minimum: GuestMinimum = {}): SizeTexts {
  const linux = os === 'linux';
  const cpus = Math.max(minimum.cpuCount ?? 1, Math.min(linux ? 2 : 4, host.cpuCores));
  const halfMemory = Math.floor(host.memoryBytes / 2 / MiB) * MiB;
  const memory = Math.max(minimum.memoryBytes ?? MIN_MEMORY_BYTES, Math.min((linux ? 2 : 8) * GiB, halfMemory));
  const wanted = (linux ? 16 : 64) * GiB;
  // Less free space than that: offer half of what is free, in whole GiB (at least 1 GiB).
  const disk = wanted <= host.freeDiskBytes ? wanted : Math.max(GiB, Math.floor(host.freeDiskBytes / 2 / GiB) * GiB);
  return { cpus: String(cpus), memory: sizeText(memory), disk: sizeText(disk) };
}

export interface SizeCheck {
  sizes?: Sizes;
  errors: Partial<Record<keyof SizeTexts, string>>;
}

function sizeOrError(text: string, what: string): number | string {
  try {
    return parseSize(text, what);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
}

/** CPUs, memory and disk against the host (cores, memory, free disk) and the image's minimum. */
export function checkSizes(texts: SizeTexts, host: HostInfo, minimum: GuestMinimum = {}): SizeCheck {
  const errors: SizeCheck['errors'] = {};
  const cpuText = texts.cpus.trim();
  const cpuCount = Number(cpuText);
  if (!/^\d+$/.test(cpuText) || cpuCount < 1) errors.cpus = `'${texts.cpus}' is not a number of CPUs; write a whole number such as 2.`;
  else if (cpuCount > host.cpuCores) errors.cpus = `This host has ${host.cpuCores} cores; give the VM at most ${host.cpuCores} CPUs.`;
  else if (minimum.cpuCount && cpuCount < minimum.cpuCount) errors.cpus = `This macOS needs at least ${minimum.cpuCount} CPUs.`;

  const memory = sizeOrError(texts.memory, 'memory');
  if (typeof memory === 'string') errors.memory = memory;
  else if (memory < MIN_MEMORY_BYTES) errors.memory = 'Give the VM at least 64M of memory.';
  else if (memory > host.memoryBytes) errors.memory = `This host has ${formatBytes(host.memoryBytes)} of memory; give the VM less.`;
  else if (minimum.memoryBytes && memory < minimum.memoryBytes) {
    errors.memory = `This macOS needs at least ${formatBytes(minimum.memoryBytes)} of memory.`;
  }

  const disk = sizeOrError(texts.disk, 'the disk');
  if (typeof disk === 'string') errors.disk = disk;
  else if (disk % 512 !== 0) errors.disk = `${texts.disk} is not a whole number of 512-byte sectors; round it, as in 20G.`;
  else if (disk > host.freeDiskBytes) {
    errors.disk = `Only ${formatBytes(host.freeDiskBytes)} is free where VMs are kept; choose a smaller disk.`;
  }

  if (Object.keys(errors).length > 0 || typeof memory === 'string' || typeof disk === 'string') return { errors };
  return { sizes: { cpuCount, memoryBytes: memory, diskBytes: disk }, errors };
}

/** Where a macOS guest comes from. */
export type MacSource =
  | { kind: 'latest'; latest: IpswLatestResult }
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'cached'; image: IpswImage };

export type GuestSource = { kind: 'iso'; path: string } | MacSource;

/** The URL to download first, when the source is not on this machine yet. */
export function downloadUrl(source: GuestSource): string | undefined {
  if (source.kind === 'latest') return source.latest.url;
  if (source.kind === 'url') return source.url;
  return undefined;
}

/** What a download screen calls the image: "macOS 15.1 (24B83) from Apple", or its URL. */
export function downloadTitle(source: GuestSource): string {
  if (source.kind === 'latest') return `macOS ${source.latest.version} (${source.latest.build}) from Apple`;
  return source.kind === 'url' ? source.url : 'the restore image';
}

/** A kept partial download of that URL, which a new download resumes. */
export function partialFor(url: string, images: readonly IpswImage[]): IpswImage | undefined {
  return images.find((image) => !image.complete && image.url === url);
}

export function describeSource(source: GuestSource): string {
  switch (source.kind) {
    case 'iso':
      return `ISO image ${source.path}`;
    case 'latest': {
      const size = source.latest.sizeBytes ? `, ${formatBytes(source.latest.sizeBytes)}` : '';
      return `latest macOS ${source.latest.version} (${source.latest.build}), downloaded from Apple${size}`;
    }
    case 'file':
      return `restore image ${source.path}`;
    case 'url':
      return `restore image downloaded from ${source.url}`;
    case 'cached':
      return `cached restore image ${source.image.name} (${formatBytes(source.image.sizeBytes)})`;
  }
}

export interface WizardChoices {
  os: GuestOS;
  source: GuestSource;
  name: string;
  sizes: Sizes;
}

/** The summary the user confirms, as label/value rows. */
export function summaryRows(c: WizardChoices, host: HostInfo): [string, string][] {
  return [
    ['Guest', c.os === 'linux' ? 'Linux, UEFI boot from the ISO as a CD' : 'macOS, installed from a restore image'],
    ['Source', describeSource(c.source)],
    ['Name', c.name],
    ['CPUs', `${c.sizes.cpuCount} of ${host.cpuCores} cores`],
    ['Memory', `${formatBytes(c.sizes.memoryBytes)} of ${formatBytes(host.memoryBytes)}`],
    ['Disk', `${formatBytes(c.sizes.diskBytes)}, sparse (uses space as the guest writes; ${formatBytes(host.freeDiskBytes)} free)`],
  ];
}

/** vm/create's params; a macOS VM needs the local image path (downloaded or cached first). */
export function createParams(c: WizardChoices, ipswPath?: string): VMCreateParams {
  const { cpuCount, memoryBytes, diskBytes } = c.sizes;
  if (c.source.kind === 'iso') {
    return { name: c.name, os: 'linux', cpuCount, memoryBytes, diskBytes, boot: { kind: 'efi', iso: c.source.path } };
  }
  const local = c.source.kind === 'file' ? c.source.path : c.source.kind === 'cached' ? c.source.image.path : ipswPath;
  const params: VMCreateParams = { name: c.name, os: 'macos', cpuCount, memoryBytes, diskBytes, boot: { kind: 'macos' } };
  if (local) params.ipsw = local;
  return params;
}
