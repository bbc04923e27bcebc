// The install wizard's rules, as pure functions: what each step accepts, the values it starts
// with, and the words it shows. The wizard hook and the tests call these directly.
import { UsageError } from '../format/usageError.js';
import { parseSize } from '../format/sizes.js';
import { uniqueName } from '../rpc/names.js';
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

export function urlProblem(text: string, what = 'restore image', example = 'https://example.com/restore.ipsw'): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return `Type the web address of a ${what} (https://…).`;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return `'${trimmed}' is not a web address; write it in full, as in ${example}.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `'${trimmed}' is not an http or https address; vmtui downloads ${what}s over HTTP(S).`;
  }
  return undefined;
}

/** Text that names a web address rather than a file (the helper downloads those). */
export function isUrlText(text: string): boolean {
  return /^https?:\/\//i.test(text.trim());
}

/** A disk image is a file here or an http(s) URL the helper downloads, taken as typed. */
export function checkImage(text: string, probe: PathProbe): { image: string } | { error: string } {
  if (isUrlText(text)) {
    const problem = urlProblem(text, 'disk image', 'https://example.com/debian-12-generic-amd64.qcow2');
    return problem ? { error: problem } : { image: text.trim() };
  }
  if (text.trim() === '') return { error: 'Type the path of a disk or cloud image (raw or qcow2), or its web address (Tab completes names).' };
  const file = checkFile(text, probe, 'a disk image (raw or qcow2)');
  return 'error' in file ? file : { image: file.path };
}

const LINUX_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

/**
 * The guest user offered by default: the host user's name, as the helper chooses it when none is
 * given (Provisioning.userName): root, or a name Linux refuses, becomes "vmtui". The helper has no
 * method that tells its user's name, so `hostUser` is the name this TUI process runs as (the
 * helper it starts runs as the same user).
 */
export function defaultGuestUser(hostUser: string): string {
  return LINUX_USER.test(hostUser) && hostUser !== 'root' ? hostUser : 'vmtui';
}

export function guestUserProblem(user: string): string | undefined {
  const name = user.trim();
  if (name === '') return 'Type the name of the guest\'s user (it gets your SSH keys and passwordless sudo).';
  if (!LINUX_USER.test(name) || name === 'root') {
    return `'${name}' cannot be the guest's user: use 1 to 32 lower-case letters, digits, '_' or '-', starting with a letter or '_', and not root.`;
  }
  return undefined;
}

/** What the key field means when left empty (the helper's default, PROTOCOL.md "Provisioning"). */
export const DEFAULT_KEYS_TEXT = "every ~/.ssh/*.pub of your user (the helper's default)";

/** Comma-separated public key files as absolute paths; empty means the helper's default (undefined). */
export function checkKeyFiles(text: string, probe: PathProbe): { files?: string[] } | { error: string } {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) return {};
  const files: string[] = [];
  for (const part of parts) {
    const file = checkFile(part, probe, 'an SSH public key (.pub)');
    if ('error' in file) return file;
    if (!file.path.endsWith('.pub')) return { error: `${file.path} does not end in .pub; name the public key, never the private one.` };
    files.push(file.path);
  }
  return { files };
}

/** A free name made from a file name ("debian-12.7.0-amd64-netinst.iso" → "debian-12.7.0-amd64-netinst"). */
export function suggestName(from: string, taken: readonly string[], fallback: string): string {
  const base = (from.split('/').filter((p) => p !== '').pop() ?? '').replace(/\.(iso|ipsw|img|raw|qcow2)$/i, '');
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
  /** Undefined for a disk image left at its own size. */
  diskBytes?: number;
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

/**
 * CPUs, memory and disk against the host (cores, memory, free disk) and the image's minimum.
 * `diskOptional`: an empty disk means the disk image's own size (the helper grows, never shrinks).
 */
export function checkSizes(texts: SizeTexts, host: HostInfo, minimum: GuestMinimum = {}, diskOptional = false): SizeCheck {
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

  const imageSize = diskOptional && texts.disk.trim() === '';
  const disk = imageSize ? 0 : sizeOrError(texts.disk, 'the disk');
  if (imageSize) {
    // the helper checks the image against the free space
  } else if (typeof disk === 'string') errors.disk = disk;
  else if (disk % 512 !== 0) errors.disk = `${texts.disk} is not a whole number of 512-byte sectors; round it, as in 20G.`;
  else if (disk > host.freeDiskBytes) {
    errors.disk = `Only ${formatBytes(host.freeDiskBytes)} is free where VMs are kept; choose a smaller disk.`;
  }

  if (Object.keys(errors).length > 0 || typeof memory === 'string' || typeof disk === 'string') return { errors };
  return { sizes: imageSize ? { cpuCount, memoryBytes: memory } : { cpuCount, memoryBytes: memory, diskBytes: disk }, errors };
}

/** Where a macOS guest comes from. */
export type MacSource =
  | { kind: 'latest'; latest: IpswLatestResult }
  | { kind: 'file'; path: string }
  | { kind: 'url'; url: string }
  | { kind: 'cached'; image: IpswImage };

/** `image`: an absolute path or an http(s) URL, as vm/create takes it. */
export type GuestSource =
  | { kind: 'iso'; path: string }
  | { kind: 'image'; image: string }
  | { kind: 'kernel'; kernel: string; initrd?: string }
  | MacSource;

/** The command line a wizard-made kernel VM boots with, as `vmtui create --kernel` without --cmdline. */
export const KERNEL_CMDLINE = 'console=ttyS0';

/** "KERNEL" or "KERNEL, INITRD": both files checked, as absolute paths. */
export function checkKernel(text: string, probe: PathProbe): { kernel: string; initrd?: string } | { error: string } {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > 2) return { error: 'Type the kernel, then a comma and the initrd if there is one; nothing more.' };
  const kernel = checkFile(parts[0] ?? '', probe, 'a Linux kernel');
  if ('error' in kernel) return kernel;
  if (parts.length === 1 || parts[1] === '') return { kernel: kernel.path };
  const initrd = checkFile(parts[1] ?? '', probe, 'an initrd');
  return 'error' in initrd ? initrd : { kernel: kernel.path, initrd: initrd.path };
}

/** The URL to download first, when the source is not on this machine yet. */
export function downloadUrl(source: GuestSource): string | undefined {
  if (source.kind === 'latest') return source.latest.url;
  if (source.kind === 'url') return source.url;
  return undefined;
}

/** What a download screen calls the image: "macOS 15.1 (24B83) from Apple", or its URL. */
export function downloadTitle(source: GuestSource): string {
  if (source.kind === 'latest') return `macOS ${source.latest.version} (${source.latest.build}) from Apple`;
  if (source.kind === 'image') return isUrlText(source.image) ? source.image : 'the image';
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
    case 'image':
      return isUrlText(source.image) ? `disk image downloaded from ${source.image}` : `disk image ${source.image}`;
    case 'kernel':
      return source.initrd ? `kernel ${source.kernel}, initrd ${source.initrd}` : `kernel ${source.kernel}`;
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

/** The guest's user and keys (disk images only); no key files means the helper's default. */
export interface Access {
  user: string;
  sshKeyFiles?: string[];
}

export interface WizardChoices {
  os: GuestOS;
  source: GuestSource;
  name: string;
  sizes: Sizes;
  access?: Access;
}

function guestWords(c: WizardChoices): string {
  if (c.os === 'macos') return 'macOS, installed from a restore image';
  if (c.source.kind === 'kernel') return `Linux, direct kernel boot (${KERNEL_CMDLINE})`;
  return c.source.kind === 'image' ? "Linux, UEFI boot from the image's own disk" : 'Linux, UEFI boot from the ISO as a CD';
}

/** The summary the user confirms, as label/value rows. */
export function summaryRows(c: WizardChoices, host: HostInfo): [string, string][] {
  const rows: [string, string][] = [['Guest', guestWords(c)], ['Source', describeSource(c.source)], ['Name', c.name]];
  if (c.access) {
    rows.push(['User', `${c.access.user} (SSH keys, passwordless sudo)`]);
    rows.push(['SSH keys', c.access.sshKeyFiles ? c.access.sshKeyFiles.join(', ') : DEFAULT_KEYS_TEXT]);
  }
  const disk = c.sizes.diskBytes === undefined
    ? `the image's own size, sparse (${formatBytes(host.freeDiskBytes)} free)`
    : `${formatBytes(c.sizes.diskBytes)}, sparse (uses space as the guest writes; ${formatBytes(host.freeDiskBytes)} free)`;
  rows.push(
    ['CPUs', `${c.sizes.cpuCount} of ${host.cpuCores} cores`],
    ['Memory', `${formatBytes(c.sizes.memoryBytes)} of ${formatBytes(host.memoryBytes)}`],
    ['Disk', disk],
  );
  return rows;
}

/** vm/create's params; a macOS VM needs the local image path (downloaded or cached first). */
export function createParams(c: WizardChoices, ipswPath?: string): VMCreateParams {
  const { cpuCount, memoryBytes, diskBytes } = c.sizes;
  if (c.source.kind === 'image') {
    // No boot: the helper boots an image with EFI from its own disk.
    const params: VMCreateParams = { name: c.name, os: 'linux', cpuCount, memoryBytes, image: c.source.image };
    if (diskBytes !== undefined) params.diskBytes = diskBytes;
    if (c.access) params.user = c.access.user;
    if (c.access?.sshKeyFiles) params.sshKeyFiles = c.access.sshKeyFiles;
    return params;
  }
  if (c.source.kind === 'kernel') {
    const boot: VMCreateParams['boot'] = { kind: 'kernel', kernel: c.source.kernel, cmdline: KERNEL_CMDLINE };
    if (c.source.initrd) boot.initrd = c.source.initrd;
    return { name: c.name, os: 'linux', cpuCount, memoryBytes, diskBytes: diskBytes ?? 0, boot };
  }
  if (c.source.kind === 'iso') {
    return { name: c.name, os: 'linux', cpuCount, memoryBytes, diskBytes: diskBytes ?? 0, boot: { kind: 'efi', iso: c.source.path } };
  }
  const local = c.source.kind === 'file' ? c.source.path : c.source.kind === 'cached' ? c.source.image.path : ipswPath;
  const params: VMCreateParams = { name: c.name, os: 'macos', cpuCount, memoryBytes, diskBytes: diskBytes ?? 0, boot: { kind: 'macos' } };
  if (local) params.ipsw = local;
  return params;
}
