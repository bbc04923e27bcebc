// How the helper process is started. On Linux hosts that build it in the toolchain root (see
// scripts/build-helper.sh), its entry point is a launcher script that mounts the root and runs the
// binary through chroot; when the root is already mounted, vmtui runs chroot itself and skips the
// shells. Anything unexpected falls back to the launcher, which mounts what is missing.
import { readFileSync, statSync } from 'node:fs';
import { delimiter } from 'node:path';

export interface HelperLaunch {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The facts build-helper.sh writes beside a launcher: `key=value` lines. */
export interface RootFacts {
  root: string;
  binary: string;
  path: string;
}

export function parseRootFacts(text: string): RootFacts | undefined {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1));
  }
  const root = values.get('root');
  const binary = values.get('binary');
  const path = values.get('path');
  if (!root?.startsWith('/') || !binary?.startsWith('/') || !path) return undefined;
  return { root, binary, path };
}

/** The same file or folder seen at both paths (the root's bind mount of it is in place). */
function sameFile(outside: string, inside: string): boolean {
  try {
    const a = statSync(outside);
    const b = statSync(inside);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function findExecutable(name: string, pathVar: string): string | undefined {
  for (const dir of pathVar.split(delimiter)) {
    if (dir === '') continue;
    try {
      if (statSync(`${dir}/${name}`).isFile()) return `${dir}/${name}`;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** PRETTY_NAME of this machine's os-release, which the helper cannot read from inside the root. */
export function hostDistribution(readText: (path: string) => string | undefined = readOrNothing): string | undefined {
  for (const path of ['/etc/os-release', '/usr/lib/os-release']) {
    const text = readText(path);
    const line = text?.split('\n').find((l) => l.startsWith('PRETTY_NAME='));
    if (line) return line.slice('PRETTY_NAME='.length).trim().replace(/^["']|["']$/g, '');
  }
  return undefined;
}

function readOrNothing(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * chroot straight into the root when `command` is a launcher with facts beside it and the root is
 * mounted with `home` (and TMPDIR) bound; otherwise the command as it is.
 */
export function helperLaunch(command: string, args: string[], env: NodeJS.ProcessEnv, home: string): HelperLaunch {
  const plain = { file: command, args, env };
  const text = readOrNothing(`${command}.root`);
  const facts = text === undefined ? undefined : parseRootFacts(text);
  if (!facts) return plain;
  const { root, binary } = facts;
  const bound = [binary, home, ...(env.TMPDIR ? [env.TMPDIR] : [])].every((p) => sameFile(p, root + p));
  const chroot = findExecutable('chroot', `${env.PATH ?? ''}${delimiter}/usr/sbin${delimiter}/sbin`);
  if (!bound || !chroot || !isDirectory(`${root}/proc/self`)) return plain;
  const distribution = env.VMTUI_HOST_DISTRIBUTION ?? hostDistribution();
  return {
    file: chroot,
    args: [root, binary, ...args],
    env: { ...env, PATH: facts.path, ...(distribution ? { VMTUI_HOST_DISTRIBUTION: distribution } : {}) },
  };
}
