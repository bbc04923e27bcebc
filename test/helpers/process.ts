import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** True while a process with this pid exists (signal 0 only checks). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// dist/test/helpers → the repository root.
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../src/cli.js', import.meta.url));
/** The bundle users run (`vmtui`, the run command): in a terminal it runs the UI script. */
export const bundlePath = fileURLToPath(new URL('../../vmtui/bin.js', import.meta.url));

/**
 * `env` with this Node first on PATH: the bundle is started as users start it, by its first line
 * (`#!/usr/bin/env -S ... node <flags>`), which gives Node the flags it runs with.
 */
export function withThisNode(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PATH: `${dirname(process.execPath)}:${env.PATH ?? ''}` };
}

/** The pid of the process running the script `file` under `ancestor` (script → sh → exec node). */
export function findProcess(ancestor: number, file: string): number | undefined {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  for (const [pid] of parents) {
    let up = parents.get(pid);
    let underAncestor = false;
    for (let hops = 0; up !== undefined && hops < 4; hops++, up = parents.get(up)) if (up === ancestor) underAncestor = true;
    if (!underAncestor) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(file)) return pid;
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
