// The one place that spawns the helper: finds it, starts `<helper> serve`, streams its stderr to
// a log file and attaches the JSON-RPC connection before anything else can happen.
import { accessSync, appendFileSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { HelperNotFoundError, type HelperExit } from './errors.js';
import { helperLaunch } from './helperLaunch.js';

export const HELPER_NAME = 'vmtui-helper';

/** The repository: the nearest folder above this file with a package.json (dist/src/rpc or the bundle in dist/vmtui). */
function repoRootOf(file: string): string {
  let dir = dirname(file);
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
const defaultRepoRoot = repoRootOf(fileURLToPath(import.meta.url));

export interface HelperProcess {
  readonly connection: MessageConnection;
  readonly pid: number;
  readonly command: string;
  readonly logPath: string;
  /** Settles once the process has exited, however it ended. */
  readonly exited: Promise<HelperExit>;
  hasExited(): boolean;
  /** Ends the helper's stdin; the helper treats that as the end of the session. */
  closeInput(): void;
  kill(signal?: NodeJS.Signals): void;
}

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

/** VMTUI_HELPER, then the repository's build output, then PATH. */
export function locateHelper(env: NodeJS.ProcessEnv = process.env, repoRoot = defaultRepoRoot): string {
  const named = env.VMTUI_HELPER;
  if (named && named !== '') {
    const found = named.includes('/')
      ? (isExecutableFile(resolve(named)) ? resolve(named) : undefined)
      : findOnPath(named, env.PATH);
    if (!found) throw new HelperNotFoundError(`VMTUI_HELPER names '${named}', which is not an executable file.`);
    return found;
  }
  const built = join(repoRoot, 'helper', '.build', HELPER_NAME);
  if (isExecutableFile(built)) return built;
  const onPath = findOnPath(HELPER_NAME, env.PATH);
  if (onPath) return onPath;
  throw new HelperNotFoundError(`The vmtui helper was not found at ${built} or on PATH.`);
}

export async function startHelper(options: StartOptions = {}): Promise<HelperProcess> {
  const env = options.env ?? process.env;
  const command = locateHelper(env, options.repoRoot);
  const home = vmtuiHome(env);
  const logPath = helperLogPath(home);
  mkdirSync(join(home, 'logs'), { recursive: true });
  appendFileSync(logPath, `--- ${new Date().toISOString()} starting ${command} serve\n`);

  const launch = helperLaunch(command, ['serve'], { ...env, VMTUI_HOME: home }, home);
  // Node's own spawn, not execa: the helper is one long-lived child with plain pipes, and execa's
  // imports were a tenth of every `vmtui list`'s start-up. Its stderr goes straight to the log file.
  const log = openSync(logPath, 'a');
  let child: ChildProcessByStdio<Writable, Readable, null>;
  try {
    child = spawn(launch.file, launch.args, { stdio: ['pipe', 'pipe', log], env: launch.env }) as ChildProcessByStdio<Writable, Readable, null>;
  } finally {
    closeSync(log); // the child has its own copy
  }
  let exitInfo: HelperExit | undefined;
  const exited = new Promise<HelperExit>((done) => {
    child.once('exit', (code, signal) => {
      exitInfo = { exitCode: code ?? undefined, signal: signal ?? undefined };
      done(exitInfo);
    });
  });

  const spawnFailure = await new Promise<Error | undefined>((done) => {
    child.once('spawn', () => done(undefined));
    child.once('error', (error) => done(error));
  });
  if (spawnFailure || child.pid === undefined) {
    throw new HelperNotFoundError(`The vmtui helper at ${command} could not be started (${spawnFailure?.message ?? 'no pid'}).`);
  }
  const subprocess = { pid: child.pid, stdin: child.stdin, stdout: child.stdout, kill: (signal: NodeJS.Signals) => child.kill(signal) };
  // A write after the helper died fails on the pipe; the connection's onClose reports it.
  child.stdin.on('error', () => undefined);

  const connection = createMessageConnection(
    new StreamMessageReader(subprocess.stdout),
    new StreamMessageWriter(subprocess.stdin),
  );
  // Disposing on close rejects pending requests instead of leaving them hanging.
  connection.onClose(() => connection.dispose());
  connection.onError(() => undefined); // a write to a dead helper; onClose reports it
  connection.listen();

  return {
    connection,
    pid: subprocess.pid,
    command,
    logPath,
    exited,
    hasExited: () => exitInfo !== undefined,
    closeInput: () => {
      subprocess.stdin.end();
    },
    kill: (signal = 'SIGTERM') => {
      if (exitInfo === undefined) subprocess.kill(signal);
    },
  };
}
