// A stand-in for HelperClient with fixture answers, for UI tests that need a running VM (no QEMU).
// It records every call and lets the test send notifications.
import { readFileSync } from 'node:fs';
import type { Disposable } from 'vscode-jsonrpc/node';
import type { HelperClient } from '../../src/rpc/client.js';
import {
  type SnapshotCreateParams,
  type SnapshotInfo,
  type SnapshotListResult,
  type VMCloneResult,
  decodeHostInfo,
  decodeInitializeResult,
  type ConsoleDataParams,
  type StateChangedParams,
  type VMInfo,
  type VMStopParams,
} from '../../src/rpc/protocol.js';

const fixture = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/protocol/${file}`, import.meta.url), 'utf8')).result;

export class FakeClient {
  calls: [string, ...unknown[]][] = [];
  vms: VMInfo[];
  tail = 'boot log\r\nVMTUI-GUEST-BOOTED\r\n';
  private stateListeners = new Set<(p: StateChangedParams) => void>();
  private dataListeners = new Set<(p: ConsoleDataParams) => void>();
  readonly pid = 0;
  readonly logPath = '/tmp/fake-helper.log';

  constructor(vms: VMInfo[]) {
    this.vms = vms.map((vm) => ({ ...vm }));
  }

  asClient(): HelperClient {
    return this as unknown as HelperClient;
  }

  private find(name: string): VMInfo {
    const vm = this.vms.find((v) => v.name === name);
    if (!vm) throw new Error(`no VM ${name}`);
    return { ...vm };
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
  onStateChanged(listener: (p: StateChangedParams) => void): Disposable {
    this.stateListeners.add(listener);
    return { dispose: () => void this.stateListeners.delete(listener) };
  }
  onConsoleData(listener: (p: ConsoleDataParams) => void): Disposable {
    this.dataListeners.add(listener);
    return { dispose: () => void this.dataListeners.delete(listener) };
  }
  onExit(): Disposable {
    return { dispose: () => undefined };
  }
  async shutdown() {
    this.calls.push(['shutdown']);
  }

  /** The helper's side: a VM changed state (the stored VM changes too, as a re-fetch would see). */
  changeState(event: StateChangedParams, patch: Partial<VMInfo> = {}): void {
    this.vms = this.vms.map((vm) => (vm.name === event.name ? { ...vm, state: event.state, ...patch } : vm));
    for (const listener of [...this.stateListeners]) listener(event);
  }

  consoleOutput(name: string, data: string): void {
    for (const listener of [...this.dataListeners]) listener({ name, data });
  }

  get consoleListeners(): number {
    return this.dataListeners.size;
  }

  // --- Snapshots and clones: an in-memory tree; `hold` keeps the next change pending until released.

  snapshots: SnapshotInfo[] = [];
  currentSnapshot: string | null = null;
  private held: { release: () => void; promise: Promise<void> } | undefined;

  /** The next snapshot or clone call waits until `release()` is called. */
  hold(): () => void {
    let release = () => undefined as void;
    const promise = new Promise<void>((done) => (release = done));
    this.held = { release, promise };
    return release;
  }

  private async gate(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    await held?.promise;
  }

  async listSnapshots(vm: string): Promise<SnapshotListResult> {
    this.calls.push(['listSnapshots', vm]);
    this.find(vm);
    const space = { logicalBytes: 0, allocatedBytes: 0 };
    return { vm, snapshots: this.snapshots.map((x) => ({ ...x })), current: this.currentSnapshot, vmSpace: space, snapshotsSpace: space, problems: [] };
  }
  async createSnapshot(params: SnapshotCreateParams): Promise<SnapshotInfo> {
    this.calls.push(['createSnapshot', params]);
    await this.gate();
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
  async cloneVm(source: string, target: string): Promise<VMCloneResult> {
    this.calls.push(['cloneVm', source, target]);
    await this.gate();
    const from = this.find(source);
    const vm: VMInfo = { ...from, name: target, state: 'stopped' };
    for (const key of ['hostPid', 'vmPid', 'sshAddress', 'startedAt', 'accelerator', 'stateReason'] as const) delete vm[key];
    this.vms.push(vm);
    return { vm: { ...vm }, strategy: 'reflink', pausedForClone: from.state === 'running' };
  }
}
