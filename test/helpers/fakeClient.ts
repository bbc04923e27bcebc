// A fake helper: a HelperApi with fixture answers, for UI tests that need a running VM (no QEMU).
// It records every call and lets the test send notifications. Requests it has no answer for fail
// as a helper without the method would (-32601).
import { readFileSync } from 'node:fs';
import type { Disposable } from 'vscode-jsonrpc/node';
import { HelperApi, type ExitListener, type RequestOptions } from '../../src/rpc/api.js';
import type { NotificationDecl, RequestDecl } from '../../src/rpc/declare.js';
import { HelperGoneError, HelperRequestError, type HelperExit } from '../../src/rpc/errors.js';
import type {
  InstallProgressParams,
  IpswDownloadParams,
  IpswDownloadResult,
  IpswImage,
  IpswLatestResult,
  IpswProgressParams,
} from '../../src/rpc/protocol.js';
import type { HostStatsParams, VMStatsParams } from '../../src/rpc/protocol.js';
import {
  consoleDataNotification,
  hostStatsNotification,
  installProgressNotification,
  ipswProgressNotification,
  imageProgressNotification,
  type ImageProgressParams,
  stateChangedNotification,
  vmChangedNotification,
  vmStatsNotification,
  vmSshInfoRequest,
  type VMSSHDetails,
  type SnapshotCreateParams,
  type SnapshotInfo,
  type SnapshotListResult,
  type VMCloneResult,
  decodeHostInfo,
  decodeInitializeResult,
  decodeSnapshotListResult,
  type StateChangedParams,
  type VMChangedParams,
  type VMCreateParams,
  type VMInfo,
  type VMStopParams,
} from '../../src/rpc/protocol.js';

const fixture = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/protocol/${file}`, import.meta.url), 'utf8')).result;

export class FakeClient extends HelperApi {
  calls: [string, ...unknown[]][] = [];
  vms: VMInfo[];
  tail = 'boot log\r\nVMTUI-GUEST-BOOTED\r\n';
  /** Notification listeners by method. */
  private listeners = new Map<string, Set<(params: never) => void>>();
  readonly pid = 0;
  readonly logPath = '/tmp/fake-helper.log';

  constructor(vms: VMInfo[]) {
    super();
    this.vms = vms.map((vm) => ({ ...vm }));
  }

  asClient(): HelperApi {
    return this;
  }

  /** The methods without a shortcut below land here; this fake answers none of them. */
  async request<P, R>(decl: RequestDecl<P, R>, params: P, _options?: RequestOptions): Promise<R> {
    this.calls.push(['request', decl.method, params]);
    if (decl.method === vmSshInfoRequest.method) return this.sshInfo((params as { name: string }).name) as R;
    throw new HelperRequestError(decl.method, -32601, `The fake helper has no method '${decl.method}'; give FakeClient an answer for it.`, undefined);
  }

  on<P>(decl: NotificationDecl<P>, listener: (params: P) => void): Disposable {
    const set = this.listeners.get(decl.method) ?? new Set();
    this.listeners.set(decl.method, set);
    set.add(listener);
    return { dispose: () => void set.delete(listener) };
  }

  /** The helper's side: one notification to every listener of its method. */
  emit<P>(decl: NotificationDecl<P>, params: P): void {
    for (const listener of [...(this.listeners.get(decl.method) ?? [])]) (listener as (params: P) => void)(params);
  }

  private listenerCount(decl: NotificationDecl<unknown>): number {
    return this.listeners.get(decl.method)?.size ?? 0;
  }

  private find(name: string): VMInfo {
    const vm = this.vms.find((v) => v.name === name);
    if (!vm) throw new Error(`no VM ${name}`);
    return { ...vm };
  }

  /** vm/sshInfo: the fixture's facts for a VM, ready as its VMInfo.ssh says. */
  private sshInfo(name: string): VMSSHDetails {
    const vm = this.find(name);
    if (!vm.ssh) throw new HelperRequestError('vm/sshInfo', 1010, `VM '${name}' has no SSH address yet.`, undefined);
    return { ...(fixture('vm-ssh-info.result.json') as VMSSHDetails), name, state: vm.state, port: vm.ssh.port, ready: vm.ssh.ready };
  }

  async initialize() {
    return decodeInitializeResult(fixture('initialize.result.json'), 'result');
  }
  async hostInfo() {
    return decodeHostInfo(fixture('host-info-linux.result.json'), 'result');
  }
  async listVms() {
    this.calls.push(['listVms']);
    return { vms: this.vms.map((vm) => ({ ...vm })), problems: [] };
  }
  async getVm(name: string) {
    this.calls.push(['getVm', name]);
    return this.find(name);
  }
  async stopVm(params: VMStopParams) {
    this.calls.push(['stopVm', params]);
    return this.find(params.name);
  }
  async consoleAttach(name: string) {
    this.calls.push(['consoleAttach', name]);
    return { tail: this.tail };
  }
  async consoleWrite(name: string, data: string) {
    this.calls.push(['consoleWrite', name, data]);
  }
  async consoleDetach(name: string) {
    this.calls.push(['consoleDetach', name]);
  }
  onExit(listener: ExitListener): Disposable {
    this.exitListeners.add(listener);
    return { dispose: () => void this.exitListeners.delete(listener) };
  }
  async shutdown() {
    this.calls.push(['shutdown']);
  }

  /** The helper's side: a VM changed state (the stored VM changes too, as a re-fetch would see). */
  changeState(event: StateChangedParams, patch: Partial<VMInfo> = {}): void {
    this.vms = this.vms.map((vm) => (vm.name === event.name ? { ...vm, state: event.state, ...patch } : vm));
    this.emit(stateChangedNotification, event);
  }

  /** The helper's side: another client made, deleted, renamed or changed a VM (the stored list changes with it). */
  changeBundle(change: VMChangedParams, vm?: VMInfo): void {
    if (change.change === 'removed' || change.change === 'renamed') this.vms = this.vms.filter((v) => v.name !== change.name);
    if (vm) this.vms = [...this.vms.filter((v) => v.name !== vm.name), { ...vm }];
    this.emit(vmChangedNotification, change);
  }

  consoleOutput(name: string, data: string): void {
    this.emit(consoleDataNotification, { name, data });
  }

  get consoleListeners(): number {
    return this.listenerCount(consoleDataNotification);
  }

  // --- Snapshots and clones: an in-memory tree; `hold` keeps the next change pending until released.

  snapshots: SnapshotInfo[] = [];
  currentSnapshot: string | null = null;
  private held: { release: () => void; promise: Promise<void> } | undefined;

  /** Fills the snapshot tree from the protocol fixture (three snapshots, current 'before-upgrade'). */
  withFixtureSnapshots(): this {
    const list = decodeSnapshotListResult(fixture('snapshot-list.result.json'), 'result');
    this.snapshots = list.snapshots;
    this.currentSnapshot = list.current;
    return this;
  }

  /** The next snapshot or clone call waits until `release()` is called. */
  hold(): () => void {
    let release = () => undefined as void;
    const promise = new Promise<void>((done) => (release = done));
    this.held = { release, promise };
    return release;
  }

  /** Waits for a held call's release; an abort of `signal` first answers `cancelled`, as the helper does. */
  private async gate(signal?: AbortSignal, method = 'request'): Promise<void> {
    const held = this.held;
    this.held = undefined;
    if (!held) return;
    const stopped = new Promise<never>((_, reject) =>
      signal?.addEventListener('abort', () => reject(new HelperRequestError(method, 1012, 'The copy was cancelled.', { kind: 'cancelled' })), { once: true }));
    await Promise.race([held.promise, stopped]);
  }

  async listSnapshots(vm: string): Promise<SnapshotListResult> {
    this.calls.push(['listSnapshots', vm]);
    this.find(vm);
    const space = { logicalBytes: 0, allocatedBytes: 0 };
    return { vm, snapshots: this.snapshots.map((x) => ({ ...x })), current: this.currentSnapshot, vmSpace: space, snapshotsSpace: space, problems: [] };
  }
  async createSnapshot(params: SnapshotCreateParams, signal?: AbortSignal): Promise<SnapshotInfo> {
    this.calls.push(['createSnapshot', params]);
    await this.gate(signal, 'snapshot/create');
    const snap: SnapshotInfo = {
      name: params.name, parent: this.currentSnapshot, children: [], createdAt: new Date().toISOString(),
      logicalBytes: 2 ** 20, allocatedBytes: 2 ** 20, strategy: 'reflink', savedState: false,
      ...(params.note ? { note: params.note } : {}),
    };
    this.snapshots = this.snapshots.map((x) => (x.name === snap.parent ? { ...x, children: [...x.children, snap.name] } : x));
    this.snapshots.push(snap);
    this.currentSnapshot = snap.name;
    return { ...snap };
  }
  async cloneVm(source: string, target: string, signal?: AbortSignal): Promise<VMCloneResult> {
    this.calls.push(['cloneVm', source, target]);
    await this.gate(signal, 'vm/clone');
    const from = this.find(source);
    const vm: VMInfo = { ...from, name: target, state: 'stopped' };
    for (const key of ['hostPid', 'vmPid', 'sshAddress', 'startedAt', 'accelerator', 'stateReason'] as const) delete vm[key];
    this.vms.push(vm);
    return { vm: { ...vm }, strategy: 'reflink', pausedForClone: from.state === 'running' };
  }

  // --- Install wizard: vm/create, vm/start, ipsw/*, vm/install. ---------------------------------
  ipswImages: IpswImage[] = [];
  latest: IpswLatestResult = { version: '15.1', build: '24B83', url: 'https://updates.example.com/UniversalMac_15.1_24B83_Restore.ipsw', sizeBytes: 14 * 2 ** 30 };
  /** Methods this fake helper answers with -32601, as a helper without them would. */
  missingMethods = new Set<string>();
  /** The download in flight: the test ends it with finishDownload; an abort ends it as `cancelled`. */
  download?: { url: string; finish(path: string): void; fail(error: Error): void };
  install?: { name: string; finish(): void; fail(error: Error): void };

  private refuse(method: string): void {
    if (this.missingMethods.has(method)) {
      throw new HelperRequestError(method, -32601, `The helper has no method '${method}'; update vmtui and the helper together.`, undefined);
    }
  }
  /** A vm/create from an image in flight: the test ends it with finish; an abort ends it as `cancelled`. */
  imageCreate?: { params: VMCreateParams; finish(): void; fail(error: Error): void };

  async createVm(params: VMCreateParams, signal?: AbortSignal) {
    this.calls.push(['createVm', params]);
    this.refuse('vm/create');
    if (params.image !== undefined) {
      // Long, as the helper's download and import are: the test decides when it ends.
      await new Promise<void>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new HelperRequestError('vm/create', 1012, 'Creating the VM was cancelled.', { kind: 'cancelled' })), { once: true });
        this.imageCreate = { params, finish: resolve, fail: reject };
      });
    }
    const vm: VMInfo = {
      name: params.name, state: 'stopped', os: params.os ?? 'linux', arch: 'x86_64', cpuCount: params.cpuCount ?? 2,
      memoryBytes: params.memoryBytes ?? 2 ** 31, diskBytes: params.diskBytes ?? 2 ** 34, diskAllocatedBytes: 0,
      macAddress: '02:00:00:00:00:09', boot: params.boot ?? { kind: 'efi' }, createdAt: '2026-11-26T00:00:00Z',
    };
    this.vms.push(vm);
    return { ...vm };
  }
  async startVm(name: string) {
    this.calls.push(['startVm', name]);
    this.vms = this.vms.map((vm) => (vm.name === name ? { ...vm, state: 'running', hostPid: 4242 } : vm));
    return this.find(name);
  }
  async listIpsw() {
    this.calls.push(['listIpsw']);
    this.refuse('ipsw/list');
    return { images: this.ipswImages.map((i) => ({ ...i })) };
  }
  async latestIpsw() {
    this.calls.push(['latestIpsw']);
    this.refuse('ipsw/latest');
    return { ...this.latest };
  }
  async deleteIpsw(name: string) {
    this.calls.push(['deleteIpsw', name]);
    this.ipswImages = this.ipswImages.filter((i) => i.name !== name);
  }
  downloadIpsw(params: IpswDownloadParams, signal?: AbortSignal): Promise<IpswDownloadResult> {
    this.calls.push(['downloadIpsw', params]);
    this.refuse('ipsw/download');
    return new Promise((resolve, reject) => {
      const cancelled = () => reject(new HelperRequestError('ipsw/download', 1012, 'Downloading was cancelled.', { kind: 'cancelled' }));
      signal?.addEventListener('abort', cancelled, { once: true });
      this.download = {
        url: params.url,
        finish: (path) => resolve({ path, sizeBytes: 1, sha256: 'ab', verifiedWith: 'server', resumedFromBytes: 0 }),
        fail: reject,
      };
    });
  }
  installVm(name: string, signal?: AbortSignal): Promise<void> {
    this.calls.push(['installVm', name]);
    return new Promise((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(new HelperRequestError('vm/install', 1012, 'Installing was cancelled.', { kind: 'cancelled' })), { once: true });
      this.install = { name, finish: resolve, fail: reject };
    });
  }
  ipswProgress(p: IpswProgressParams): void {
    this.emit(ipswProgressNotification, p);
  }
  /** The helper's side: one image/progress notification (vm/create from an image). */
  imageProgress(p: ImageProgressParams): void {
    this.emit(imageProgressNotification, p);
  }
  installProgress(p: InstallProgressParams): void {
    this.emit(installProgressNotification, p);
  }

  // --- Stats, snapshots and the helper's death (the dashboard's tests) ---
  /** When set, stats/subscribe fails with it (as a helper without stats would). */
  statsError: Error | undefined;
  private exitListeners = new Set<ExitListener>();

  async subscribeStats(intervalMs: number) {
    this.calls.push(['subscribeStats', intervalMs]);
    if (this.statsError) throw this.statsError;
    return Math.min(10_000, Math.max(250, intervalMs));
  }
  async unsubscribeStats() {
    this.calls.push(['unsubscribeStats']);
  }

  /** The helper's side: one vm/stats notification. */
  emitVmStats(params: VMStatsParams): void {
    this.emit(vmStatsNotification, params);
  }
  emitHostStats(params: HostStatsParams): void {
    this.emit(hostStatsNotification, params);
  }
  get statsListeners(): number {
    return this.listenerCount(vmStatsNotification) + this.listenerCount(hostStatsNotification);
  }

  /** The helper process ends unexpectedly (as a SIGKILL would end it). */
  die(exit: HelperExit = { exitCode: undefined, signal: 'SIGKILL' }): void {
    for (const listener of [...this.exitListeners]) listener(exit, false, new HelperGoneError(exit, this.logPath));
  }
}
