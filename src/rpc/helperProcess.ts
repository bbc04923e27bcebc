// The helper process a client talks to: started (or taken from the `vmtui` entry's early start, see
// helperSpawn.ts) and the JSON-RPC connection attached before anything else can happen.
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { HelperNotFoundError, type HelperExit } from './errors.js';
import { findHelper, spawnHelper, takeEarlyHelper, type StartOptions } from './helperSpawn.js';

export { HELPER_NAME, findOnPath, helperLogPath, vmtuiHome, type StartOptions } from './helperSpawn.js';

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
  /** Lets vmtui exit before the helper has (it exits at the end of its input). */
  release(): void;
  kill(signal?: NodeJS.Signals): void;
}

/** VMTUI_HELPER, then the repository's build output, then PATH. */
export function locateHelper(env: NodeJS.ProcessEnv = process.env, repoRoot?: string): string {
  const found = findHelper(env, repoRoot);
  if ('missing' in found) throw new HelperNotFoundError(found.missing);
  return found.path;
}

/** Takes the helper the `vmtui` entry started early when it fits, else spawns one; then connects. */
export async function startHelper(options: StartOptions = {}): Promise<HelperProcess> {
  const spawned = takeEarlyHelper(options) ?? spawnHelper(locateHelper(options.env ?? process.env, options.repoRoot), options.env ?? process.env);
  const { child, command, logPath } = spawned;
  let exitInfo: HelperExit | undefined;
  const exited = spawned.exited.then((exit) => (exitInfo = exit));
  const spawnFailure = await spawned.started;
  if (spawnFailure || child.pid === undefined) {
    throw new HelperNotFoundError(`The vmtui helper at ${command} could not be started (${spawnFailure?.message ?? 'no pid'}).`);
  }
  const subprocess = { pid: child.pid, stdin: child.stdin, stdout: child.stdout, kill: (signal: NodeJS.Signals) => child.kill(signal) };

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
    release: () => {
      child.unref();
      for (const stream of [child.stdin, child.stdout] as unknown as { unref?: () => void }[]) stream.unref?.();
    },
    kill: (signal = 'SIGTERM') => {
      if (exitInfo === undefined) subprocess.kill(signal);
    },
  };
}
