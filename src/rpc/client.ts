// The typed face of the helper. Knows JSON-RPC and the helper process; knows nothing of Ink.
import { CancellationTokenSource, ResponseError, type Disposable } from 'vscode-jsonrpc/node';
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
  decodeInstallProgressParams,
  decodeIpswDownloadResult,
  decodeIpswLatestResult,
  decodeIpswListResult,
  decodeIpswProgressParams,
  installProgressNotification,
  ipswDeleteRequest,
  ipswDownloadRequest,
  ipswLatestRequest,
  ipswListRequest,
  ipswProgressNotification,
  vmInstallRequest,
  type InstallProgressParams,
  type IpswDownloadParams,
  type IpswDownloadResult,
  type IpswLatestResult,
  type IpswListResult,
  type IpswProgressParams,
} from './protocolInstall.js';
import {
  decodeHostStatsParams,
  decodeStatsSubscribeResult,
  decodeVMStatsParams,
  hostStatsNotification,
  statsSubscribeRequest,
  statsUnsubscribeRequest,
  vmStatsNotification,
  type HostStatsParams,
  type VMStatsParams,
} from './protocolStats.js';
import {
  PROTOCOL_VERSION,
  consoleAttachRequest,
  consoleDataNotification,
  consoleDetachRequest,
  consoleWriteRequest,
  decodeSnapshotInfo,
  decodeSnapshotListResult,
  decodeSnapshotRestoreResult,
  decodeVMCloneResult,
  snapshotCreateRequest,
  snapshotDeleteRequest,
  snapshotListRequest,
  snapshotRestoreRequest,
  vmCloneRequest,
  type SnapshotCreateParams,
  type SnapshotInfo,
  type SnapshotListResult,
  type SnapshotRestoreResult,
  type VMCloneResult,
  decodeConsoleAttachResult,
  decodeConsoleDataParams,
  decodeHostInfo,
  decodeInitializeResult,
  decodeNull,
  decodeStateChangedParams,
  decodeVMInfo,
  decodeVMListResult,
  exitNotification,
  hostInfoRequest,
  initializeRequest,
  shutdownRequest,
  stateChangedNotification,
  vmConfigureRequest,
  vmCreateRequest,
  vmDeleteRequest,
  vmGetRequest,
  vmIpRequest,
  decodeVMIPResult,
  type VMIPResult,
  vmListRequest,
  vmPauseRequest,
  vmRenameRequest,
  vmResumeRequest,
  vmStartRequest,
  vmStopRequest,
  type ConsoleAttachResult,
  type ConsoleDataParams,
  type HostInfo,
  type InitializeResult,
  type StateChangedParams,
  type VMConfigureParams,
  type VMCreateParams,
  type VMInfo,
  type VMListResult,
  type VMStopParams,
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

/** Listeners for one notification. vscode-jsonrpc keeps one handler per method, so we fan out. */
class Listeners<T> {
  private readonly set = new Set<(params: T) => void>();

  add(listener: (params: T) => void): Disposable {
    this.set.add(listener);
    return { dispose: () => void this.set.delete(listener) };
  }

  emit(params: T): void {
    for (const listener of [...this.set]) listener(params);
  }
}

export class HelperClient {
  private stopping: Promise<void> | undefined;
  private readonly stateChanged = new Listeners<StateChangedParams>();
  private readonly consoleData = new Listeners<ConsoleDataParams>();
  private readonly vmStats = new Listeners<VMStatsParams>();
  private readonly hostStats = new Listeners<HostStatsParams>();
  private readonly ipswProgress = new Listeners<IpswProgressParams>();
  private readonly installProgress = new Listeners<InstallProgressParams>();

  constructor(readonly process: HelperProcess) {
    const { connection } = process;
    // A notification that does not decode is dropped: there is nobody to answer it to.
    connection.onNotification(stateChangedNotification, (raw: unknown) => {
      const params = tryDecode(decodeStateChangedParams, raw);
      if (params) this.stateChanged.emit(params);
    });
    connection.onNotification(consoleDataNotification, (raw: unknown) => {
      const params = tryDecode(decodeConsoleDataParams, raw);
      if (params) this.consoleData.emit(params);
    });
    connection.onNotification(vmStatsNotification, (raw: unknown) => {
      const params = tryDecode(decodeVMStatsParams, raw);
      if (params) this.vmStats.emit(params);
    });
    connection.onNotification(hostStatsNotification, (raw: unknown) => {
      const params = tryDecode(decodeHostStatsParams, raw);
      if (params) this.hostStats.emit(params);
    });
    connection.onNotification(ipswProgressNotification, (raw: unknown) => {
      const params = tryDecode(decodeIpswProgressParams, raw);
      if (params) this.ipswProgress.emit(params);
    });
    connection.onNotification(installProgressNotification, (raw: unknown) => {
      const params = tryDecode(decodeInstallProgressParams, raw);
      if (params) this.installProgress.emit(params);
    });
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

  listVms(): Promise<VMListResult> {
    return this.call(vmListRequest.method, decodeVMListResult, () => this.process.connection.sendRequest(vmListRequest, {}));
  }

  /** Where to reach a running guest: its own address (with source and age) where known, and SSH. */
  getIp(name: string): Promise<VMIPResult> {
    return this.call(vmIpRequest.method, decodeVMIPResult, () => this.process.connection.sendRequest(vmIpRequest, { name }));
  }

  getVm(name: string): Promise<VMInfo> {
    return this.call(vmGetRequest.method, decodeVMInfo, () => this.process.connection.sendRequest(vmGetRequest, { name }));
  }

  createVm(params: VMCreateParams): Promise<VMInfo> {
    return this.call(vmCreateRequest.method, decodeVMInfo, () => this.process.connection.sendRequest(vmCreateRequest, params));
  }

  async deleteVm(name: string): Promise<void> {
    await this.call(vmDeleteRequest.method, decodeNull, () => this.process.connection.sendRequest(vmDeleteRequest, { name }));
  }

  renameVm(name: string, newName: string): Promise<VMInfo> {
    return this.call(vmRenameRequest.method, decodeVMInfo, () =>
      this.process.connection.sendRequest(vmRenameRequest, { name, newName }),
    );
  }

  configureVm(params: VMConfigureParams): Promise<VMInfo> {
    return this.call(vmConfigureRequest.method, decodeVMInfo, () =>
      this.process.connection.sendRequest(vmConfigureRequest, params),
    );
  }

  /** Resolves once the VM runs (the per-VM host reported ready). */
  startVm(name: string): Promise<VMInfo> {
    return this.call(vmStartRequest.method, decodeVMInfo, () => this.process.connection.sendRequest(vmStartRequest, { name }));
  }

  /** Walks the stop ladder; each rung arrives as vm/stateChanged while this is pending. */
  stopVm(params: VMStopParams): Promise<VMInfo> {
    return this.call(vmStopRequest.method, decodeVMInfo, () => this.process.connection.sendRequest(vmStopRequest, params));
  }

  pauseVm(name: string): Promise<VMInfo> {
    return this.call(vmPauseRequest.method, decodeVMInfo, () => this.process.connection.sendRequest(vmPauseRequest, { name }));
  }

  resumeVm(name: string): Promise<VMInfo> {
    return this.call(vmResumeRequest.method, decodeVMInfo, () => this.process.connection.sendRequest(vmResumeRequest, { name }));
  }

  consoleAttach(name: string): Promise<ConsoleAttachResult> {
    return this.call(consoleAttachRequest.method, decodeConsoleAttachResult, () =>
      this.process.connection.sendRequest(consoleAttachRequest, { name }),
    );
  }

  async consoleWrite(name: string, data: string): Promise<void> {
    await this.call(consoleWriteRequest.method, decodeNull, () =>
      this.process.connection.sendRequest(consoleWriteRequest, { name, data }),
    );
  }

  async consoleDetach(name: string): Promise<void> {
    await this.call(consoleDetachRequest.method, decodeNull, () =>
      this.process.connection.sendRequest(consoleDetachRequest, { name }),
    );
  }

  /** A copy-on-write clone that can run beside its source (new MAC and machine identity). */
  cloneVm(source: string, target: string): Promise<VMCloneResult> {
    return this.call(vmCloneRequest.method, decodeVMCloneResult, () =>
      this.process.connection.sendRequest(vmCloneRequest, { source, target }),
    );
  }

  createSnapshot(params: SnapshotCreateParams): Promise<SnapshotInfo> {
    return this.call(snapshotCreateRequest.method, decodeSnapshotInfo, () =>
      this.process.connection.sendRequest(snapshotCreateRequest, params),
    );
  }

  listSnapshots(vm: string): Promise<SnapshotListResult> {
    return this.call(snapshotListRequest.method, decodeSnapshotListResult, () =>
      this.process.connection.sendRequest(snapshotListRequest, { vm }),
    );
  }

  restoreSnapshot(vm: string, name: string): Promise<SnapshotRestoreResult> {
    return this.call(snapshotRestoreRequest.method, decodeSnapshotRestoreResult, () =>
      this.process.connection.sendRequest(snapshotRestoreRequest, { vm, name }),
    );
  }

  async deleteSnapshot(vm: string, name: string): Promise<void> {
    await this.call(snapshotDeleteRequest.method, decodeNull, () =>
      this.process.connection.sendRequest(snapshotDeleteRequest, { vm, name }),
    );
  }

  /** Every state change of every VM this helper session knows of. */
  onStateChanged(listener: (params: StateChangedParams) => void): Disposable {
    return this.stateChanged.add(listener);
  }

  /** Console output of attached VMs. */
  onConsoleData(listener: (params: ConsoleDataParams) => void): Disposable {
    return this.consoleData.add(listener);
  }

  /** Starts (or re-times) `vm/stats` and `host/stats`; resolves to the interval the helper uses. */
  async subscribeStats(intervalMs: number): Promise<number> {
    const result = await this.call(statsSubscribeRequest.method, decodeStatsSubscribeResult, () =>
      this.process.connection.sendRequest(statsSubscribeRequest, { intervalMs }),
    );
    return result.intervalMs;
  }

  async unsubscribeStats(): Promise<void> {
    await this.call(statsUnsubscribeRequest.method, decodeNull, () =>
      this.process.connection.sendRequest(statsUnsubscribeRequest, {}),
    );
  }

  /** Samples of every running VM, once per interval while subscribed. */
  onVmStats(listener: (params: VMStatsParams) => void): Disposable {
    return this.vmStats.add(listener);
  }

  /** Host CPU, memory, disk and macOS slots, once per interval while subscribed. */
  onHostStats(listener: (params: HostStatsParams) => void): Disposable {
    return this.hostStats.add(listener);
  }

  /** The newest macOS restore image this host supports (macOS hosts; elsewhere an `unsupported` error). */
  latestIpsw(): Promise<IpswLatestResult> {
    return this.call(ipswLatestRequest.method, decodeIpswLatestResult, () =>
      this.process.connection.sendRequest(ipswLatestRequest, {}),
    );
  }

  /**
   * Downloads (or resumes) a restore image into the cache; progress arrives via onIpswProgress.
   * Aborting `signal` sends $/cancelRequest: the helper keeps the partial file and answers `cancelled`.
   */
  downloadIpsw(params: IpswDownloadParams, signal?: AbortSignal): Promise<IpswDownloadResult> {
    return this.call(ipswDownloadRequest.method, decodeIpswDownloadResult, () =>
      withCancellation(signal, (token) => this.process.connection.sendRequest(ipswDownloadRequest, params, token)),
    );
  }

  listIpsw(): Promise<IpswListResult> {
    return this.call(ipswListRequest.method, decodeIpswListResult, () =>
      this.process.connection.sendRequest(ipswListRequest, {}),
    );
  }

  async deleteIpsw(name: string): Promise<void> {
    await this.call(ipswDeleteRequest.method, decodeNull, () =>
      this.process.connection.sendRequest(ipswDeleteRequest, { name }),
    );
  }

  /** Installs macOS into a VM created from an IPSW; progress arrives via onInstallProgress. */
  async installVm(name: string, signal?: AbortSignal): Promise<void> {
    await this.call(vmInstallRequest.method, decodeNull, () =>
      withCancellation(signal, (token) => this.process.connection.sendRequest(vmInstallRequest, { name }, token)),
    );
  }

  onIpswProgress(listener: (params: IpswProgressParams) => void): Disposable {
    return this.ipswProgress.add(listener);
  }

  onInstallProgress(listener: (params: InstallProgressParams) => void): Disposable {
    return this.installProgress.add(listener);
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

function tryDecode<T>(decode: Decoder<T>, raw: unknown): T | undefined {
  try {
    return decode(raw, 'params');
  } catch {
    return undefined;
  }
}

export type HelperClientFactory = () => Promise<HelperClient>;

/** Runs a request with a cancellation token that fires when `signal` aborts. */
async function withCancellation<T>(signal: AbortSignal | undefined, send: (token: CancellationTokenSource['token']) => Promise<T>): Promise<T> {
  const source = new CancellationTokenSource();
  const cancel = () => source.cancel();
  if (signal?.aborted) cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await send(source.token);
  } finally {
    signal?.removeEventListener('abort', cancel);
    source.dispose();
  }
}
