// V8's code cache of the UI script (uiScript.ts), kept in vmtui's cache: $VMTUI_HOME/cache/ui-code.
// V8 checks a cache's length and its own version, not its bytes, and a damaged cache crashes the
// process as it loads (tried: V8 aborts with "unreachable code"). So each file carries a CRC-32 of
// its data, checked before V8 sees it. A cache is written to a new file, then renamed over the old;
// nothing is written through a symlink.
import { closeSync, constants, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

const HEADER = 8; // the data's CRC-32, then its length: two little-endian 32-bit numbers
const ENDING = '.code';
const NEW = /\.(\d+)\.new$/;

/** Where the cache of the script `name` is kept for this Node (V8 rejects another version's). */
export function codeCachePath(home: string, name: string): string {
  return join(home, 'cache', 'ui-code', `${name}.${process.version}${ENDING}`);
}

/** The kept cache of the script `name`, or undefined when there is none or it is damaged. */
export function readCodeCache(home: string, name: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(codeCachePath(home, name));
  } catch {
    return undefined;
  }
  if (bytes.length < HEADER) return undefined;
  const data = bytes.subarray(HEADER);
  return bytes.readUInt32LE(4) === data.length && bytes.readUInt32LE(0) === crc32(data) ? data : undefined;
}

/** A folder that is one (made if missing, never a symlink's target); false otherwise. */
function realFolder(path: string): boolean {
  try {
    mkdirSync(path, { mode: 0o755 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
  }
  return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** Removes a file or a symlink (not what it points to); anything else, or nothing there, is left. */
function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone, or a folder: not vmtui's to remove
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Keeps `data` as the cache of the script `name`, and removes the caches of other scripts and the
 * unfinished files of processes that ended. Never makes vmtui's home. False when it could not.
 */
export function keepCodeCache(home: string, name: string, data: Buffer): boolean {
  const file = codeCachePath(home, name);
  const folder = join(home, 'cache', 'ui-code');
  if (!realFolder(join(home, 'cache')) || !realFolder(folder)) return false;
  const temp = `${file}.${process.pid}.new`;
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(crc32(data), 0);
  header.writeUInt32LE(data.length, 4);
  try {
    const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      writeFileSync(fd, header); // on a file descriptor, each writes all of its bytes, in turn
      writeFileSync(fd, data);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch {
    unlinkQuietly(temp); // a full disk, a folder made read-only: the next start tries again
    return false;
  }
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    const unfinished = NEW.exec(entry);
    const stale = unfinished ? !alive(Number(unfinished[1])) : entry.endsWith(ENDING) && path !== file;
    if (stale) unlinkQuietly(path);
  }
  return true;
}
