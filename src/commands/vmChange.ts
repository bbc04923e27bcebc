// `vmtui create|delete|rename|configure`: changes to stopped VMs.
import { configureAccess, configureAccessOptions, createAccess, createAccessOptions, describeForward } from './forwards.js';
import { configureShareOptions, configureShares, createShareOptions, createShares } from './shares.js';
import { featureSummary } from '../format/shares.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BootConfig, VMConfigureParams, VMCreateParams, VMInfo } from '../rpc/protocol.js';
import { describeBoot, formatBytes } from '../format/vm.js';
import { UsageError } from '../format/usageError.js';
import { flag, listOption, stringOption, type ParsedArgs } from './args.js';
import { jsonOption, type Command } from './command.js';
import { CommandError, ExitCode } from './exitCodes.js';
import { withClient, writeJson, type CommandIO } from './io.js';
import { createFromIpsw, parseIpswArg } from './createMac.js';
import { displayOptions, displayParams } from './display.js';
import { createFromImage, isImageURL } from './createImage.js';
import { parseCount, parseSize, requireSectorMultiple } from '../format/sizes.js';

const DEFAULT_CMDLINE = 'console=ttyS0';

function absoluteFile(io: CommandIO, path: string, what: string, option: string): string {
  const absolute = resolve(io.cwd, path);
  let isFile = false;
  try {
    isFile = statSync(absolute).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) throw new CommandError(`There is no ${what} file at ${absolute}; check the path given to ${option}.`);
  return absolute;
}

/** The boot section of vm/create from --kernel/--initrd/--cmdline or --iso; paths absolute from cwd.
 * With --image and no --kernel there is none: the helper boots the image's disk with EFI. */
export function bootFromArgs(args: ParsedArgs, io: CommandIO): BootConfig | undefined {
  const kernel = stringOption(args, 'kernel');
  const iso = stringOption(args, 'iso');
  if (stringOption(args, 'image') !== undefined) {
    if (iso !== undefined || stringOption(args, 'ipsw') !== undefined) {
      throw new UsageError('--image makes the disk from an image and boots it; it does not go with --iso or --ipsw.');
    }
    if (kernel === undefined) {
      if (stringOption(args, 'initrd') || stringOption(args, 'cmdline')) throw new UsageError('--initrd and --cmdline go with --kernel; add --kernel PATH.');
      return undefined;
    }
  }
  if (stringOption(args, 'sha256') !== undefined && stringOption(args, 'image') === undefined) {
    throw new UsageError('--sha256 checks the file given to --image; add --image PATH|URL (restore images: vmtui ipsw download URL --sha256 HEX).');
  }
  if (stringOption(args, 'ipsw') !== undefined) {
    if (kernel || iso || stringOption(args, 'initrd') || stringOption(args, 'cmdline')) {
      throw new UsageError('--ipsw makes a macOS VM; it does not go with --kernel, --initrd, --cmdline or --iso.');
    }
    return { kind: 'macos' };
  }
  const initrd = stringOption(args, 'initrd');
  const cmdline = stringOption(args, 'cmdline');
  if (kernel && iso) throw new UsageError('Give either --kernel or --iso, not both.');
  if (!kernel && (initrd || cmdline)) throw new UsageError('--initrd and --cmdline go with --kernel; add --kernel PATH.');
  if (kernel) {
    const boot: BootConfig = { kind: 'kernel', kernel: absoluteFile(io, kernel, 'kernel', '--kernel'), cmdline: cmdline ?? DEFAULT_CMDLINE };
    if (initrd) boot.initrd = absoluteFile(io, initrd, 'initrd', '--initrd');
    return boot;
  }
  if (iso) return { kind: 'efi', iso: absoluteFile(io, iso, 'ISO image', '--iso') };
  throw new UsageError("'vmtui create' needs a disk or a way to boot: --image PATH|URL (a raw or qcow2 disk image), --kernel PATH (with --initrd and --cmdline) or --iso PATH; for macOS, --ipsw PATH|URL|latest.");
}

/** The sizing options shared by create and configure. */
function sizing(args: ParsedArgs): Pick<VMCreateParams, 'cpuCount' | 'memoryBytes' | 'diskBytes' | 'sparseOvercommit'> {
  const out: Pick<VMCreateParams, 'cpuCount' | 'memoryBytes' | 'diskBytes' | 'sparseOvercommit'> = {};
  const cpus = stringOption(args, 'cpus');
  const memory = stringOption(args, 'memory');
  const disk = stringOption(args, 'disk');
  if (cpus !== undefined) out.cpuCount = parseCount(cpus, '--cpus');
  if (memory !== undefined) out.memoryBytes = parseSize(memory, '--memory');
  if (disk !== undefined) out.diskBytes = requireSectorMultiple(parseSize(disk, '--disk'), disk, '--disk');
  if (flag(args, 'sparse')) out.sparseOvercommit = true;
  return out;
}

export function createParams(args: ParsedArgs, io: CommandIO): VMCreateParams {
  const name = args.positionals[0] ?? '';
  const sizes = sizing(args);
  const params: VMCreateParams = { name, ...sizes, ...displayParams(args) };
  const boot = bootFromArgs(args, io);
  if (boot !== undefined) params.boot = boot;
  const image = stringOption(args, 'image');
  if (image !== undefined) params.image = isImageURL(image) ? image : absoluteFile(io, image, 'disk image', '--image');
  const sha256 = stringOption(args, 'sha256');
  if (sha256 !== undefined) params.sha256 = sha256;
  Object.assign(params, provisionParams(args, io), createAccess(args), createShares(args, io.cwd));
  return params;
}

/** --user, --ssh-key (repeatable), --user-data, --no-provision: the cloud-init seed's contents. */
export function provisionParams(args: ParsedArgs, io: CommandIO): Pick<VMCreateParams, 'user' | 'sshKeyFiles' | 'userData' | 'provision'> {
  const out: Pick<VMCreateParams, 'user' | 'sshKeyFiles' | 'userData' | 'provision'> = {};
  const user = stringOption(args, 'user');
  const keys = listOption(args, 'ssh-key');
  const userData = stringOption(args, 'user-data');
  if (flag(args, 'no-provision')) {
    if (user !== undefined || keys.length > 0 || userData !== undefined) {
      throw new UsageError('--no-provision makes no cloud-init seed, so it does not go with --user, --ssh-key or --user-data.');
    }
    out.provision = false;
    return out;
  }
  if (user !== undefined) out.user = user;
  if (keys.length > 0) out.sshKeyFiles = keys.map((k) => absoluteFile(io, k, 'SSH public key', '--ssh-key'));
  if (userData !== undefined) out.userData = absoluteFile(io, userData, 'user-data file', '--user-data');
  return out;
}

export function configureParams(args: ParsedArgs, io: CommandIO): VMConfigureParams {
  const params: VMConfigureParams = { name: args.positionals[0] ?? '', ...sizing(args), ...displayParams(args) };
  if (flag(args, 'detach-iso')) params.detachISO = true;
  Object.assign(params, configureAccess(args), configureShares(args, io.cwd));
  const kernel = stringOption(args, 'kernel');
  const initrd = stringOption(args, 'initrd');
  const cmdline = stringOption(args, 'cmdline');
  if (kernel !== undefined) params.kernel = absoluteFile(io, kernel, 'kernel', '--kernel');
  if (initrd !== undefined && flag(args, 'no-initrd')) throw new UsageError('Give --initrd PATH or --no-initrd, not both.');
  if (initrd !== undefined) params.initrd = absoluteFile(io, initrd, 'initrd', '--initrd');
  // The helper reads an empty initrd as "none".
  if (flag(args, 'no-initrd')) params.initrd = '';
  if (cmdline !== undefined) params.cmdline = cmdline;
  const changes = ['cpuCount', 'memoryBytes', 'diskBytes', 'detachISO', 'kernel', 'initrd', 'cmdline', 'sshPort', 'addForwards', 'removeForwards', 'display', 'noDisplay', 'vnc',
    'addShares', 'removeShares', 'rosetta', 'nestedVirtualization', 'keyboard'].filter((k) => k in params);
  if (changes.length === 0) {
    throw new UsageError("'vmtui configure' needs something to change: --cpus N, --memory SIZE, --disk SIZE, --detach-iso, --forward, --remove-forward, --ssh-port, --display WxH, --no-display, --vnc socket|tcp, --share, --unshare, --rosetta, --nested, --keyboard, or for a kernel-boot VM --kernel PATH, --initrd PATH (or --no-initrd) and --cmdline STR.");
  }
  return params;
}

/** "; SSH on 127.0.0.1:40022; forwards 127.0.0.1:8080 → 80/tcp" */
function accessShape(vm: VMInfo): string {
  const ssh = vm.ssh ? `; SSH on ${vm.ssh.host}:${vm.ssh.port}` : '';
  return ssh + (vm.forwards?.length ? `; forwards ${vm.forwards.map(describeForward).join(', ')}` : '') + featureSummary(vm);
}

function shape(vm: VMInfo): string {
  const screen = vm.display ? `, a ${vm.display.width}×${vm.display.height} screen` : '';
  return `${vm.cpuCount} CPU${vm.cpuCount === 1 ? '' : 's'}, ${formatBytes(vm.memoryBytes)} memory, ${formatBytes(vm.diskBytes)} disk${screen}`;
}

const sizeOptions = {
  cpus: { value: 'N', description: 'virtual CPUs (default 2, at most the host cores)' },
  memory: { value: 'SIZE', description: 'memory, as in 512M or 2G (default 2G)' },
  disk: { value: 'SIZE', description: 'disk size, as in 20G (default 16G; a sparse file)' },
  sparse: { description: 'allow a disk larger than the free space (it fills as the guest writes)' },
};

export const createCommand: Command = {
  spec: {
    name: 'create',
    positionals: ['NAME'],
    options: {
      kernel: { value: 'PATH', description: 'boot this Linux kernel directly' },
      initrd: { value: 'PATH', description: 'with --kernel: the initial ramdisk' },
      cmdline: { value: 'STR', description: `with --kernel: the kernel command line (default "${DEFAULT_CMDLINE}")` },
      iso: { value: 'PATH', description: 'boot with UEFI and install from this ISO image' },
      image: { value: 'PATH|URL', description: 'make the disk from this raw or qcow2 image (a URL is downloaded into the cache) and boot it with UEFI' },
      sha256: { value: 'HEX', description: "with --image: the image's SHA-256, checked before it is used" },
      user: { value: 'NAME', description: 'cloud-init: the guest user, with sudo (default: your user name; root becomes vmtui)' },
      'ssh-key': { value: 'FILE', description: "cloud-init: a public key for that user (repeatable; default ~/.ssh/*.pub)", repeatable: true },
      'user-data': { value: 'FILE', description: 'cloud-init: your own user-data (#cloud-config, a script...), applied after vmtui\'s' },
      'no-provision': { description: 'no cloud-init seed (an --image VM gets one by default)' },
      ipsw: { value: 'PATH|URL|latest', description: 'macOS (Apple silicon Mac): download if needed, create and install from this restore image' },
      ...sizeOptions,
      ...displayOptions,
      ...createAccessOptions,
      ...createShareOptions,
      ...jsonOption,
    },
    summary: 'Create a stopped VM. Sizes take K, M, G or T (powers of 1024), as in 512M, 2G, 20GiB.',
  },
  run: async (args, io) => {
    const params = createParams(args, io);
    const ipsw = stringOption(args, 'ipsw');
    if (ipsw !== undefined) {
      const { boot: _macos, ...base } = params;
      const source = parseIpswArg(ipsw, (path) => absoluteFile(io, path, 'restore image', '--ipsw'));
      await withClient(io, (client, init) => createFromIpsw(client, init, io, base, source, flag(args, 'json')));
      return;
    }
    await withClient(io, async (client) => {
      if (params.image !== undefined) {
        // JSON lines (progress events, then `created`), as --ipsw writes them.
        const vm = await createFromImage(client, io, params, flag(args, 'json'));
        if (!flag(args, 'json')) io.stdout.write(`Created VM '${vm.name}' from ${params.image} (${shape(vm)}; ${describeBoot(vm.boot)}). Start it with 'vmtui start ${vm.name}'.\n`);
        return;
      }
      const vm = await client.createVm(params);
      if (flag(args, 'json')) writeJson(io, vm);
      else io.stdout.write(`Created VM '${vm.name}' (${shape(vm)}; ${describeBoot(vm.boot)}${accessShape(vm)}). Start it with 'vmtui start ${vm.name}'.\n`);
    });
  },
};

/** Without a terminal there is nobody to ask: refuse unless --yes was given. */
export function requireConsent(io: CommandIO, name: string, yes: boolean): void {
  if (!yes && !io.stdin.isTTY) {
    throw new UsageError(`Deleting VM '${name}' removes its disk for good; without a terminal to ask, run 'vmtui delete ${name} --yes'.`);
  }
}

async function confirmName(io: CommandIO, name: string): Promise<void> {
  // Loaded here, not at the top: every other command starts faster without readline.
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  let typed: string;
  try {
    typed = await rl.question(`Delete VM '${name}' and its disk? This cannot be undone. Type its name to confirm: `);
  } finally {
    rl.close();
  }
  if (typed.trim() !== name) throw new CommandError(`Nothing was deleted: '${typed.trim()}' is not '${name}'.`);
}

export const deleteCommand: Command = {
  spec: {
    name: 'delete',
    positionals: ['NAME'],
    options: { yes: { description: 'do not ask; needed when stdin is not a terminal' } },
    summary: 'Delete a stopped VM and its disk. Asks for the VM\'s name first unless --yes is given.',
  },
  run: async (args, io) => {
    const name = args.positionals[0] ?? '';
    requireConsent(io, name, flag(args, 'yes'));
    await withClient(io, async (client) => {
      const vm = await client.getVm(name); // no such VM: fail before asking
      if (vm.hostPid !== undefined) {
        throw new CommandError(`VM '${name}' is ${vm.state}; stop it with 'vmtui stop ${name}' before deleting it.`, ExitCode.wrongState);
      }
      if (!flag(args, 'yes')) await confirmName(io, name);
      await client.deleteVm(name);
      io.stdout.write(`Deleted VM '${name}'.\n`);
    });
  },
};

export const renameCommand: Command = {
  spec: { name: 'rename', positionals: ['NAME', 'NEWNAME'], options: jsonOption, summary: 'Rename a stopped VM.' },
  run: (args, io) =>
    withClient(io, async (client) => {
      const [name = '', newName = ''] = args.positionals;
      const vm = await client.renameVm(name, newName);
      if (flag(args, 'json')) writeJson(io, vm);
      else io.stdout.write(`Renamed VM '${name}' to '${vm.name}'.\n`);
    }),
};

export const configureCommand: Command = {
  spec: {
    name: 'configure',
    positionals: ['NAME'],
    options: {
      ...sizeOptions,
      disk: { value: 'SIZE', description: 'grow the disk to this size (disks only grow)' },
      'detach-iso': { description: 'remove the install ISO once the guest is installed' },
      ...displayOptions,
      kernel: { value: 'PATH', description: 'kernel-boot VMs: boot this kernel from now on' },
      initrd: { value: 'PATH', description: 'kernel-boot VMs: this initial ramdisk' },
      'no-initrd': { description: 'kernel-boot VMs: boot without an initial ramdisk' },
      cmdline: { value: 'STR', description: 'kernel-boot VMs: this kernel command line' },
      ...configureAccessOptions,
      ...configureShareOptions,
      ...jsonOption,
    },
    summary: 'Change a stopped VM\'s CPUs, memory, disk size, kernel, initrd and command line, its SSH port, shared folders, Rosetta, nested virtualization or keyboard, or its port forwards (forwards also while it runs).',
  },
  run: async (args, io) => {
    const params = configureParams(args, io);
    await withClient(io, async (client) => {
      const vm = await client.configureVm(params);
      if (flag(args, 'json')) writeJson(io, vm);
      else io.stdout.write(`VM '${vm.name}' now has ${shape(vm)}${accessShape(vm)}; ${describeBoot(vm.boot)}.\n`);
    });
  },
};
