// `--share HOSTPATH[:TAG][:ro]`, `--unshare TAG`, `--rosetta`, `--nested`, `--keyboard mac|usb`
// (and configure's `--no-rosetta`, `--no-nested`), parsed into vm/create and vm/configure fields.
import { resolve } from 'node:path';
import type { KeyboardKind, ShareParams, VMConfigureParams, VMCreateParams } from '../rpc/protocol.js';
import { UsageError } from '../format/usageError.js';
import { flag, listOption, stringOption, type ParsedArgs } from './args.js';

const TAG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,34}$/;

/** "~/src", "/data:db", "/data:db:ro", "/data:ro": the last ":ro"/":rw" is the mode, then a ":TAG". */
export function parseShare(text: string, cwd: string): ShareParams {
  let body = text.trim();
  let readOnly: boolean | undefined;
  const mode = /:(ro|rw)$/.exec(body);
  if (mode) {
    readOnly = mode[1] === 'ro';
    body = body.slice(0, mode.index);
  }
  let tag: string | undefined;
  const colon = body.lastIndexOf(':');
  if (colon !== -1) {
    tag = body.slice(colon + 1);
    body = body.slice(0, colon);
    if (!TAG.test(tag)) {
      throw new UsageError(`--share '${text}' names the tag '${tag}'; a tag is 1 to 35 letters, digits, '.', '_' or '-', starting with a letter or digit.`);
    }
  }
  if (body === '') throw new UsageError(`--share '${text}' names no folder; write --share HOSTPATH[:TAG][:ro], as in --share ~/src or --share /data:data:ro.`);
  const share: ShareParams = { path: resolve(cwd, body) };
  if (tag !== undefined) share.tag = tag;
  if (readOnly) share.readOnly = true;
  return share;
}

function keyboard(args: ParsedArgs): KeyboardKind | undefined {
  const value = stringOption(args, 'keyboard');
  if (value === undefined) return undefined;
  if (value !== 'mac' && value !== 'usb') throw new UsageError(`--keyboard '${value}' is not a keyboard vmtui knows; use --keyboard mac or --keyboard usb.`);
  return value;
}

const shareOption = {
  share: {
    value: 'HOSTPATH[:TAG][:ro]',
    description: 'share a host folder (tag: the folder\'s name; cloud-init guests mount it at /mnt/TAG); repeatable',
    repeatable: true,
  },
};

export const createShareOptions = {
  ...shareOption,
  rosetta: { description: 'Linux guests on an Apple silicon Mac: run x86-64 programs through Rosetta' },
  nested: { description: 'let the guest run VMs itself (VZ: M3 or later with macOS 15; QEMU: KVM with nesting on)' },
  keyboard: { value: 'mac|usb', description: 'macOS guests: the keyboard (default mac on macOS 14 and later, else usb)' },
};

export const configureShareOptions = {
  ...createShareOptions,
  unshare: { value: 'TAG', description: 'stop sharing the folder with this tag; repeatable', repeatable: true },
  'no-rosetta': { description: 'turn Rosetta off' },
  'no-nested': { description: 'turn nested virtualization off' },
};

/** vm/create's shares and features. */
export function createShares(args: ParsedArgs, cwd: string): Pick<VMCreateParams, 'shares' | 'rosetta' | 'nestedVirtualization' | 'keyboard'> {
  const out: Pick<VMCreateParams, 'shares' | 'rosetta' | 'nestedVirtualization' | 'keyboard'> = {};
  const shares = listOption(args, 'share').map((s) => parseShare(s, cwd));
  if (shares.length > 0) out.shares = shares;
  if (flag(args, 'rosetta')) out.rosetta = true;
  if (flag(args, 'nested')) out.nestedVirtualization = true;
  const kb = keyboard(args);
  if (kb) out.keyboard = kb;
  return out;
}

type ConfigureShareFields = Pick<VMConfigureParams, 'addShares' | 'removeShares' | 'rosetta' | 'nestedVirtualization' | 'keyboard'>;

/** vm/configure's share and feature changes. */
export function configureShares(args: ParsedArgs, cwd: string): ConfigureShareFields {
  const out: ConfigureShareFields = {};
  const add = listOption(args, 'share').map((s) => parseShare(s, cwd));
  const remove = listOption(args, 'unshare');
  if (add.length > 0) out.addShares = add;
  if (remove.length > 0) out.removeShares = remove;
  for (const [on, off, field] of [['rosetta', 'no-rosetta', 'rosetta'], ['nested', 'no-nested', 'nestedVirtualization']] as const) {
    if (flag(args, on) && flag(args, off)) throw new UsageError(`Give --${on} or --${off}, not both.`);
    if (flag(args, on)) out[field] = true;
    if (flag(args, off)) out[field] = false;
  }
  const kb = keyboard(args);
  if (kb) out.keyboard = kb;
  return out;
}
