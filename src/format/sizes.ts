// Sizes as people write them ("512M", "2G", "20GiB", "1.5T") to bytes. Every unit is a power of
// 1024, as in qemu-img and docker: VM memory and disks are sized in binary units.
import { UsageError } from './usageError.js';

const unitPowers: Record<string, number> = { k: 1, m: 2, g: 3, t: 4 };

/** Bytes for a size, or a UsageError sentence naming the option. */
export function parseSize(text: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt])?(i?b)?\s*$/i.exec(text);
  const [, digits, unit, suffix] = match ?? [];
  if (digits === undefined || (unit === undefined && suffix !== undefined && suffix.toLowerCase() !== 'b')) {
    throw new UsageError(`'${text}' is not a size for ${option}; write a number and a unit, as in 512M, 2G or 20GiB.`);
  }
  if (unit === undefined && suffix === undefined) {
    throw new UsageError(`'${text}' has no unit for ${option}; write ${digits}M or ${digits}G (or ${digits}B for bytes).`);
  }
  const bytes = Number(digits) * 1024 ** (unit ? (unitPowers[unit.toLowerCase()] ?? 0) : 0);
  if (!Number.isSafeInteger(Math.round(bytes))) {
    throw new UsageError(`'${text}' is too large for ${option}.`);
  }
  if (bytes < 1) throw new UsageError(`${option} must be more than zero; '${text}' is not.`);
  return Math.round(bytes);
}

/** A whole number of CPUs, at least one. */
export function parseCount(text: string, option: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw new UsageError(`'${text}' is not a CPU count for ${option}; write a whole number such as 2.`);
  }
  return Number(text);
}

/** Whole seconds (fractions allowed), more than zero, as milliseconds. */
export function parseSeconds(text: string, option: string): number {
  if (!/^\d+(\.\d+)?$/.test(text.trim()) || Number(text) <= 0) {
    throw new UsageError(`'${text}' is not a number of seconds for ${option}; write one such as 30.`);
  }
  return Math.round(Number(text) * 1000);
}

/** Disk images are made of 512-byte sectors. */
export function requireSectorMultiple(bytes: number, text: string, option: string): number {
  if (bytes % 512 !== 0) {
    throw new UsageError(`${option} ${text} is not a whole number of 512-byte sectors; round it, as in 20G.`);
  }
  return bytes;
}
