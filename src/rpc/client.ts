// The typed face of the helper. Knows JSON-RPC and the helper process; knows nothing of Ink.
import { ResponseError, type Disposable } from 'vscode-jsonrpc/node';
import { CLIENT_NAME, VMTUI_VERSION } from '../version.js';
import type { Decoder } from './decode.js';
import {
  HelperGoneError,
  ProtocolMismatchError,
  fromResponseError,
  isConnectionGone,
  type HelperExit,
} from './errors.js';
import { startHelper, type HelperProcess, type StartOptions } from './helperProcess.js';
import {
  PROTOCOL_VERSION,
  decodeHostInfo,
  decodeInitializeResult,
  exitNotification,
  hostInfoRequest,
  initializeRequest,
  shutdownRequest,
  type HostInfo,
  type InitializeResult,
} from './protocol.js';

export interface ShutdownOptions {
  /** How long to wait for the `shutdown` reply. */
  requestTimeoutMs?: number;
  /** How long the helper may take to exit after `exit` before it is killed. */
  graceMs?: number;
}

/** Called once when the helper exits; `expected` is true after shutdown() began. */
export type ExitListener = (exit: HelperExit, expected: boolean, error: HelperGoneError) => void;

function sleep(ms: number): Promise<'timeout'> {
  return new Promise((done) => setTimeout(() => done('timeout'), ms).unref());
}

export class HelperClient {
  private stopping: Promise<void> | undefined;

  constructor(readonly process: HelperProcess) {}

  static async start(options?: StartOptions): Promise<HelperClient> {
    return new HelperClient(await startHelper(options));
  }

  get pid(): number {
    return this.process.pid;
  }

  get logPath(): string {
    return this.process.logPath;
  }

  async initialize(): Promise<InitializeResult> {
    const result = await this.call(initializeRequest.method, decodeInitializeResult, () =>
      this.process.connection.sendRequest(initializeRequest, {
        clientName: CLIENT_NAME,
        clientVersion: VMTUI_VERSION,
        protocolVersion: PROTOCOL_VERSION,
      }),
    );
    if (result.protocolVersion !== PROTOCOL_VERSION) {
      throw new ProtocolMismatchError(result.helperVersion, result.protocolVersion, PROTOCOL_VERSION);
    }
    return result;
  }

  hostInfo(): Promise<HostInfo> {
    return this.call(hostInfoRequest.method, decodeHostInfo, () =>
      this.process.connection.sendRequest(hostInfoRequest, {}),
    );
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
    this.stopping ??= this.stop(options.requestTimeoutMs ?? 3000, options.graceMs ?? 2000);
    return this.stopping;
  }

  private async stop(requestTimeoutMs: number, graceMs: number): Promise<void> {
    const { connection } = this.process;
    if (!this.process.hasExited()) {
      try {
        const reply = connection.sendRequest(shutdownRequest);
        reply.catch(() => undefined); // if the timeout wins, the reply may still fail later
        await Promise.race([reply, sleep(requestTimeoutMs)]);
        await connection.sendNotification(exitNotification);
      } catch {
        // The helper may already be gone; the steps below still clean up.
      }
    }
    this.process.closeInput();
    connection.dispose();
    if ((await Promise.race([this.process.exited, sleep(graceMs)])) !== 'timeout') return;
    this.process.kill('SIGTERM');
    if ((await Promise.race([this.process.exited, sleep(1000)])) !== 'timeout') return;
    this.process.kill('SIGKILL');
    await this.process.exited;
  }

  private async call<T>(method: string, decode: Decoder<T>, send: () => Promise<unknown>): Promise<T> {
    let raw: unknown;
    try {
      raw = await send();
    } catch (error) {
      if (isConnectionGone(error) || this.process.hasExited()) throw await this.goneError(method);
      if (error instanceof ResponseError) throw fromResponseError(method, error);
      throw error;
    }
    try {
      return decode(raw, 'result');
    } catch (error) {
      throw new Error(
        `The helper's answer to '${method}' does not match the protocol: ${(error as Error).message} Update vmtui and the helper together.`,
      );
    }
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

export type HelperClientFactory = () => Promise<HelperClient>;
