// The typed face of the helper over JSON-RPC. Knows the helper process; knows nothing of Ink.
import {
  CancellationTokenSource,
  NotificationType,
  ParameterStructures,
  RequestType,
  ResponseError,
  type Disposable,
} from 'vscode-jsonrpc/node';
import { HelperApi, type ExitListener, type RequestOptions, type ShutdownOptions } from './api.js';
import type { NotificationDecl, RequestDecl } from './declare.js';
import type { Decoder } from './decode.js';
import { HelperGoneError, fromResponseError, isConnectionGone } from './errors.js';
import { startHelper, type HelperProcess, type StartOptions } from './helperProcess.js';
import { allNotifications } from './methods.js';
import { exitNotification, shutdownRequest } from './protocol.js';

const byName = ParameterStructures.byName;

function sleep(ms: number): Promise<'timeout'> {
  return new Promise((done) => setTimeout(() => done('timeout'), ms).unref());
}

/** Listeners for one notification. vscode-jsonrpc keeps one handler per method, so we fan out. */
class Listeners {
  private readonly set = new Set<(params: unknown) => void>();

  add(listener: (params: unknown) => void): Disposable {
    this.set.add(listener);
    return { dispose: () => void this.set.delete(listener) };
  }

  emit(params: unknown): void {
    for (const listener of [...this.set]) listener(params);
  }
}

export class HelperClient extends HelperApi {
  private stopping: Promise<void> | undefined;
  private readonly listeners = new Map<string, Listeners>();

  constructor(readonly process: HelperProcess) {
    super();
    // One handler per declared notification; one that does not decode is dropped: there is
    // nobody to answer it to.
    for (const decl of allNotifications) {
      if (!decl.params) continue;
      const decode = decl.params;
      const listeners = new Listeners();
      this.listeners.set(decl.method, listeners);
      process.connection.onNotification(new NotificationType(decl.method, byName), (raw: unknown) => {
        const params = tryDecode(decode, raw);
        if (params !== undefined) listeners.emit(params);
      });
    }
  }

  static async start(options?: StartOptions): Promise<HelperClient> {
    return new HelperClient(await startHelper(options));
  }

  get pid(): number {
    return this.process.pid;
  }

  get logPath(): string {
    return this.process.logPath;
  }

  /** Every request goes through here: send, map failures to HelperErrors, decode the result. */
  async request<P, R>(decl: RequestDecl<P, R>, params: P, options: RequestOptions = {}): Promise<R> {
    const type = new RequestType<unknown, unknown, unknown>(decl.method, byName);
    const { connection } = this.process;
    const { signal } = options;
    let raw: unknown;
    try {
      raw = await (signal
        ? withCancellation(signal, (token) => connection.sendRequest(type, params, token))
        : connection.sendRequest(type, params));
    } catch (error) {
      if (isConnectionGone(error) || this.process.hasExited()) throw await this.goneError(decl.method);
      if (error instanceof ResponseError) throw fromResponseError(decl.method, error);
      throw error;
    }
    try {
      return decl.result(raw, 'result');
    } catch (error) {
      throw new Error(
        `The helper's answer to '${decl.method}' does not match the protocol: ${(error as Error).message} Update vmtui and the helper together.`,
      );
    }
  }

  on<P>(decl: NotificationDecl<P>, listener: (params: P) => void): Disposable {
    const listeners = this.listeners.get(decl.method);
    if (!listeners) throw new Error(`'${decl.method}' is not a notification declared under src/rpc/protocol/.`);
    return listeners.add(listener as (params: unknown) => void);
  }

  onExit(listener: ExitListener): Disposable {
    let active = true;
    void this.process.exited.then((exit) => {
      if (active) listener(exit, this.stopping !== undefined, new HelperGoneError(exit, this.logPath));
    });
    return { dispose: () => (active = false) };
  }

  /** LSP-style: `shutdown`, `exit`, end stdin, dispose; kill only if the helper lingers. */
  shutdown(options: ShutdownOptions = {}): Promise<void> {
    this.stopping ??= this.stop(options.requestTimeoutMs ?? 3000, options.graceMs ?? 2000, options.waitForExit ?? true);
    return this.stopping;
  }

  private async stop(requestTimeoutMs: number, graceMs: number, waitForExit: boolean): Promise<void> {
    const { connection } = this.process;
    if (!this.process.hasExited()) {
      try {
        const reply = connection.sendRequest(shutdownRequest.method);
        reply.catch(() => undefined); // if the timeout wins, the reply may still fail later
        await Promise.race([reply, sleep(requestTimeoutMs)]);
        await connection.sendNotification(exitNotification.method);
      } catch {
        // The helper may already be gone; the steps below still clean up.
      }
    }
    this.process.closeInput();
    connection.dispose();
    if (!waitForExit) {
      this.process.release();
      // sleep() does not keep vmtui running: the kill happens only if vmtui outlives the grace.
      void Promise.race([this.process.exited, sleep(graceMs)]).then((r) => r === 'timeout' && this.process.kill('SIGKILL'));
      return;
    }
    if ((await Promise.race([this.process.exited, sleep(graceMs)])) !== 'timeout') return;
    this.process.kill('SIGTERM');
    if ((await Promise.race([this.process.exited, sleep(1000)])) !== 'timeout') return;
    this.process.kill('SIGKILL');
    await this.process.exited;
  }

  private async goneError(method: string): Promise<HelperGoneError> {
    // The pipe closes a moment before the exit status is known; wait briefly for it.
    const exit = await Promise.race([this.process.exited, sleep(2000)]);
    if (exit === 'timeout') {
      this.process.kill('SIGKILL'); // it closed its output but lives on: it cannot serve us
      return new HelperGoneError({ exitCode: undefined, signal: undefined }, this.logPath, method);
    }
    return new HelperGoneError(exit, this.logPath, method);
  }
}

function tryDecode<T>(decode: Decoder<T>, raw: unknown): T | undefined {
  try {
    return decode(raw, 'params');
  } catch {
    return undefined;
  }
}

/** Runs a request with a cancellation token that fires when `signal` aborts. */
async function withCancellation<T>(signal: AbortSignal, send: (token: CancellationTokenSource['token']) => Promise<T>): Promise<T> {
  const source = new CancellationTokenSource();
  const cancel = () => source.cancel();
  if (signal.aborted) cancel();
  signal.addEventListener('abort', cancel, { once: true });
  try {
    return await send(source.token);
  } finally {
    signal.removeEventListener('abort', cancel);
    source.dispose();
  }
}
