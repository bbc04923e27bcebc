// What hooks and commands need from the helper: one generic `request` for every method declared
// under protocol/, one `on` for every notification, and typed shortcuts for the common calls.
// HelperClient implements it over JSON-RPC; test/helpers/fakeClient.ts over fixtures.
import type { Disposable } from 'vscode-jsonrpc/node';
import { CLIENT_NAME, VMTUI_VERSION } from '../version.js';
import type { NotificationDecl, RequestDecl } from './declare.js';
import { ProtocolMismatchError, type HelperExit, type HelperGoneError } from './errors.js';
import {
  PROTOCOL_VERSION,
  consoleAttachRequest,
  consoleDataNotification,
  consoleDetachRequest,
  consoleWriteRequest,
  hostInfoRequest,
  hostStatsNotification,
  copyProgressNotification,
  imageProgressNotification,
  initializeRequest,
  installProgressNotification,
  ipswDeleteRequest,
  ipswDownloadRequest,
  ipswLatestRequest,
  ipswListRequest,
  ipswProgressNotification,
  snapshotCreateRequest,
  snapshotDeleteRequest,
  snapshotListRequest,
  snapshotRestoreRequest,
  stateChangedNotification,
  statsSubscribeRequest,
  statsUnsubscribeRequest,
  vmCloneRequest,
  vmConfigureRequest,
  vmCreateRequest,
  vmDeleteRequest,
  vmGetRequest,
  vmInstallRequest,
  vmIpRequest,
  vmListRequest,
  vmPauseRequest,
  vmRenameRequest,
  vmResumeRequest,
  vmStartRequest,
  vmStatsNotification,
  vmStopRequest,
  type ConsoleAttachResult,
  type ConsoleDataParams,
  type HostInfo,
  type HostStatsParams,
  type CopyProgressParams,
  type ImageProgressParams,
  type InitializeResult,
  type InstallProgressParams,
  type IpswDownloadParams,
  type IpswDownloadResult,
  type IpswLatestResult,
  type IpswListResult,
  type IpswProgressParams,
  type SnapshotCreateParams,
  type SnapshotInfo,
  type SnapshotListResult,
  type SnapshotRestoreResult,
  type StateChangedParams,
  type VMCloneResult,
  type VMConfigureParams,
  type VMCreateParams,
  type VMIPResult,
  type VMInfo,
  type VMListResult,
  type VMStatsParams,
  type VMStopParams,
} from './protocol.js';

export interface RequestOptions {
  /** Aborting sends $/cancelRequest; the helper answers `cancelled` (ipsw/download, vm/install). */
  signal?: AbortSignal;
}

export interface ShutdownOptions {
  /** How long to wait for the `shutdown` reply. */
  requestTimeoutMs?: number;
  /** How long the helper may take to exit after `exit` before it is killed. */
  graceMs?: number;
  /**
   * false: after `exit` and the end of its input, the helper ends by itself and vmtui does not
   * wait for it (a one-shot command returns at once); it is killed after the grace only if vmtui
   * is still running then.
   */
  waitForExit?: boolean;
}

/** Called once when the helper exits; `expected` is true after shutdown() began. */
export type ExitListener = (exit: HelperExit, expected: boolean, error: HelperGoneError) => void;

/** The transport: what an implementation provides. Everything else is built on these. */
export interface HelperTransport {
  readonly pid: number;
  readonly logPath: string;
  /** Sends any declared request; resolves to its decoded result or rejects with a HelperError. */
  request<P, R>(decl: RequestDecl<P, R>, params: P, options?: RequestOptions): Promise<R>;
  /** Listens to any declared notification; params that do not decode are dropped. */
  on<P>(decl: NotificationDecl<P>, listener: (params: P) => void): Disposable;
  onExit(listener: ExitListener): Disposable;
  /** LSP-style: `shutdown`, `exit`, then the process ends. */
  shutdown(options?: ShutdownOptions): Promise<void>;
}

/**
 * The transport plus typed shortcuts for the calls hooks and commands make often. A new method
 * needs no shortcut: `api.request(someRequest, params)` is typed by its declaration.
 */
export abstract class HelperApi implements HelperTransport {
  abstract readonly pid: number;
  abstract readonly logPath: string;
  abstract request<P, R>(decl: RequestDecl<P, R>, params: P, options?: RequestOptions): Promise<R>;
  abstract on<P>(decl: NotificationDecl<P>, listener: (params: P) => void): Disposable;
  abstract onExit(listener: ExitListener): Disposable;
  abstract shutdown(options?: ShutdownOptions): Promise<void>;

  async initialize(): Promise<InitializeResult> {
    const result = await this.request(initializeRequest, {
      clientName: CLIENT_NAME,
      clientVersion: VMTUI_VERSION,
      protocolVersion: PROTOCOL_VERSION,
    });
    if (result.protocolVersion !== PROTOCOL_VERSION) {
      throw new ProtocolMismatchError(result.helperVersion, result.protocolVersion, PROTOCOL_VERSION);
    }
    return result;
  }

  hostInfo(): Promise<HostInfo> {
    return this.request(hostInfoRequest, {});
  }

  listVms(): Promise<VMListResult> {
    return this.request(vmListRequest, {});
  }

  /** Where to reach a running guest: its own address (with source and age) where known, and SSH. */
  getIp(name: string): Promise<VMIPResult> {
    return this.request(vmIpRequest, { name });
  }

  getVm(name: string): Promise<VMInfo> {
    return this.request(vmGetRequest, { name });
  }

  /** From an image this is long (progress via onImageProgress); aborting `signal` cancels it and no VM is made. */
  createVm(params: VMCreateParams, signal?: AbortSignal): Promise<VMInfo> {
    return this.request(vmCreateRequest, params, signal ? { signal } : {});
  }

  async deleteVm(name: string): Promise<void> {
    await this.request(vmDeleteRequest, { name });
  }

  renameVm(name: string, newName: string): Promise<VMInfo> {
    return this.request(vmRenameRequest, { name, newName });
  }

  configureVm(params: VMConfigureParams): Promise<VMInfo> {
    return this.request(vmConfigureRequest, params);
  }

  /** Resolves once the VM runs (the per-VM host reported ready). */
  startVm(name: string): Promise<VMInfo> {
    return this.request(vmStartRequest, { name });
  }

  /** Walks the stop ladder; each rung arrives as vm/stateChanged while this is pending. */
  stopVm(params: VMStopParams): Promise<VMInfo> {
    return this.request(vmStopRequest, params);
  }

  pauseVm(name: string): Promise<VMInfo> {
    return this.request(vmPauseRequest, { name });
  }

  resumeVm(name: string): Promise<VMInfo> {
    return this.request(vmResumeRequest, { name });
  }

  consoleAttach(name: string): Promise<ConsoleAttachResult> {
    return this.request(consoleAttachRequest, { name });
  }

  async consoleWrite(name: string, data: string): Promise<void> {
    await this.request(consoleWriteRequest, { name, data });
  }

  async consoleDetach(name: string): Promise<void> {
    await this.request(consoleDetachRequest, { name });
  }

  /** A copy-on-write clone that can run beside its source (new MAC and machine identity). */
  /** Aborting `signal` stops a copy (progress via onCopyProgress); nothing of it is left. */
  cloneVm(source: string, target: string, signal?: AbortSignal): Promise<VMCloneResult> {
    return this.request(vmCloneRequest, { source, target }, signal ? { signal } : {});
  }

  createSnapshot(params: SnapshotCreateParams, signal?: AbortSignal): Promise<SnapshotInfo> {
    return this.request(snapshotCreateRequest, params, signal ? { signal } : {});
  }

  listSnapshots(vm: string): Promise<SnapshotListResult> {
    return this.request(snapshotListRequest, { vm });
  }

  restoreSnapshot(vm: string, name: string, signal?: AbortSignal): Promise<SnapshotRestoreResult> {
    return this.request(snapshotRestoreRequest, { vm, name }, signal ? { signal } : {});
  }

  async deleteSnapshot(vm: string, name: string): Promise<void> {
    await this.request(snapshotDeleteRequest, { vm, name });
  }

  /** Starts (or re-times) `vm/stats` and `host/stats`; resolves to the interval the helper uses. */
  async subscribeStats(intervalMs: number): Promise<number> {
    return (await this.request(statsSubscribeRequest, { intervalMs })).intervalMs;
  }

  async unsubscribeStats(): Promise<void> {
    await this.request(statsUnsubscribeRequest, {});
  }

  /** The newest macOS restore image this host supports (macOS hosts; elsewhere an `unsupported` error). */
  latestIpsw(): Promise<IpswLatestResult> {
    return this.request(ipswLatestRequest, {});
  }

  /**
   * Downloads (or resumes) a restore image into the cache; progress arrives via onIpswProgress.
   * Aborting `signal` sends $/cancelRequest: the helper keeps the partial file and answers `cancelled`.
   */
  downloadIpsw(params: IpswDownloadParams, signal?: AbortSignal): Promise<IpswDownloadResult> {
    return this.request(ipswDownloadRequest, params, signal ? { signal } : {});
  }

  listIpsw(): Promise<IpswListResult> {
    return this.request(ipswListRequest, {});
  }

  async deleteIpsw(name: string): Promise<void> {
    await this.request(ipswDeleteRequest, { name });
  }

  /** Installs macOS into a VM created from an IPSW; progress arrives via onInstallProgress. */
  async installVm(name: string, signal?: AbortSignal): Promise<void> {
    await this.request(vmInstallRequest, { name }, signal ? { signal } : {});
  }

  /** Every state change of every VM, whoever made it (vm/changed tells bundles made, gone or renamed). */
  onStateChanged(listener: (params: StateChangedParams) => void): Disposable {
    return this.on(stateChangedNotification, listener);
  }

  /** Console output of attached VMs. */
  onConsoleData(listener: (params: ConsoleDataParams) => void): Disposable {
    return this.on(consoleDataNotification, listener);
  }

  /** Samples of every running VM, once per interval while subscribed. */
  onVmStats(listener: (params: VMStatsParams) => void): Disposable {
    return this.on(vmStatsNotification, listener);
  }

  /** Host CPU, memory, disk and macOS slots, once per interval while subscribed. */
  onHostStats(listener: (params: HostStatsParams) => void): Disposable {
    return this.on(hostStatsNotification, listener);
  }

  onIpswProgress(listener: (params: IpswProgressParams) => void): Disposable {
    return this.on(ipswProgressNotification, listener);
  }

  onInstallProgress(listener: (params: InstallProgressParams) => void): Disposable {
    return this.on(installProgressNotification, listener);
  }

  onImageProgress(listener: (params: ImageProgressParams) => void): Disposable {
    return this.on(imageProgressNotification, listener);
  }

  onCopyProgress(listener: (params: CopyProgressParams) => void): Disposable {
    return this.on(copyProgressNotification, listener);
  }
}

export type HelperClientFactory = () => Promise<HelperApi>;
