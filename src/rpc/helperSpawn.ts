// Finding and spawning the helper process: only Node's own modules, so the `vmtui` entry can start
// the helper before it loads the rest (the JSON-RPC library, the commands), and both start at once.
import { accessSync, appendFileSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { HelperExit } from './errors.js'; // a type only: errors.js loads the JSON-RPC library
import { helperLaunch } from './helperLaunch.js';

export const HELPER_NAME = 'vmtui-helper';

/** The repository: the nearest folder above this file with a package.json (dist/src/rpc or the bundle in dist/vmtui). */
function repoRootOf(file: string): string {
  let dir = dirname(file);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const defaultRepoRoot = repoRootOf(fileURLToPath(import.meta.url));

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  repoRoot?: string;
}

export function vmtuiHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.VMTUI_HOME;
  return home && home !== '' ? resolve(home) : join(homedir(), '.vmtui');
}

export function helperLogPath(home: string, now: Date = new Date()): string {
  return join(home, 'logs', `helper-${now.toISOString().slice(0, 10)}.log`);
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function findOnPath(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** VMTUI_HELPER, then the repository's build output, then PATH; else the sentence saying what is missing. */
export function findHelper(env: NodeJS.ProcessEnv = process.env, repoRoot = defaultRepoRoot): { path: string } | { missing: string } {
  const named = env.VMTUI_HELPER;
  if (named && named !== '') {
    const found = named.includes('/')
      ? (isExecutableFile(resolve(named)) ? resolve(named) : undefined)
      : findOnPath(named, env.PATH);
    return found ? { path: found } : { missing: `VMTUI_HELPER names '${named}', which is not an executable file.` };
  }
  const built = join(repoRoot, 'helper', '.build', HELPER_NAME);
  if (isExecutableFile(built)) return { path: built };
  const onPath = findOnPath(HELPER_NAME, env.PATH);
  if (onPath) return { path: onPath };
  return { missing: `The vmtui helper was not found at ${built} or on PATH.` };
}

export type HelperChild = ChildProcessByStdio<Writable, Readable, null>;

export interface SpawnedHelper {
  child: HelperChild;
  command: string;
  logPath: string;
  /** Settles when the process runs (undefined) or could not be started (the error). */
  started: Promise<Error | undefined>;
  /** Settles once the process has exited, however it ended. */
  exited: Promise<HelperExit>;
}

/** Spawns `<helper> serve` with its stderr appended to the day's log; throws what spawn throws. */
export function spawnHelper(command: string, env: NodeJS.ProcessEnv): SpawnedHelper {
  const home = vmtuiHome(env);
  const logPath = helperLogPath(home);
  mkdirSync(join(home, 'logs'), { recursive: true });
  appendFileSync(logPath, `--- ${new Date().toISOString()} starting ${command} serve\n`);
  const launch = helperLaunch(command, ['serve'], { ...env, VMTUI_HOME: home }, home);
  // Node's own spawn, not execa: the helper is one long-lived child with plain pipes, and execa's
  // imports were a tenth of every `vmtui list`'s start-up. Its stderr goes straight to the log file.
  const log = openSync(logPath, 'a');
  try {
    const child = spawn(launch.file, launch.args, { stdio: ['pipe', 'pipe', log], env: launch.env }) as HelperChild;
    // A write after the helper died fails on the pipe; the connection's onClose reports it.
    child.stdin.on('error', () => undefined);
    // Listened to at once: an early helper may start (or end) before a client takes it.
    const started = new Promise<Error | undefined>((done) => {
      child.once('spawn', () => done(undefined));
      child.once('error', (error) => done(error));
    });
    const exited = new Promise<HelperExit>((done) => {
      child.once('exit', (code, signal) => done({ exitCode: code ?? undefined, signal: signal ?? undefined }));
    });
    return { child, command, logPath, started, exited };
  } finally {
    closeSync(log); // the child has its own copy
  }
}

let early: SpawnedHelper | undefined;

/**
 * Starts the helper for this process's environment now, for the first client to take (the `vmtui`
 * entry calls it before loading the rest). Untaken, it holds nothing open: when vmtui exits, the
 * helper reads the end of its input and exits too. Any trouble is left to the normal start to report.
 */
export function spawnEarlyHelper(): void {
  try {
    const found = findHelper();
    if (!('path' in found)) return;
    early = spawnHelper(found.path, process.env);
    const { child } = early;
    child.unref();
    for (const stream of [child.stdin, child.stdout] as unknown as { unref?: () => void }[]) stream.unref?.();
  } catch {
    early = undefined;
  }
}

/** The early helper, once, when the caller wants this process's environment and repository. */
export function takeEarlyHelper(options: StartOptions): SpawnedHelper | undefined {
  if (!early || options.env !== undefined || options.repoRoot !== undefined) return undefined;
  const taken = early;
  early = undefined;
  taken.child.ref();
  for (const stream of [taken.child.stdin, taken.child.stdout] as unknown as { ref?: () => void }[]) stream.ref?.();
  return taken;
}
