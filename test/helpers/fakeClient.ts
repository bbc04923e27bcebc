// A stand-in for HelperClient with fixture answers, for UI tests that need a running VM (no QEMU).
// It records every call and lets the test send notifications.
import { readFileSync } from 'node:fs';
import type { Disposable } from 'vscode-jsonrpc/node';
import type { ExitListener, HelperClient } from '../../src/rpc/client.js';
import { HelperGoneError, type HelperExit } from '../../src/rpc/errors.js';
import type { HostStatsParams, VMStatsParams } from '../../src/rpc/protocolStats.js';
import {
  decodeHostInfo,
  decodeInitializeResult,
  decodeSnapshotListResult,
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
    for (const listener of [...this.stateListeners]) listener(event);
  }

  consoleOutput(name: string, data: string): void {
    for (const listener of [...this.dataListeners]) listener({ name, data });
  }

  get consoleListeners(): number {
    return this.dataListeners.size;
  }

  // --- Stats, snapshots and the helper's death (the dashboard's tests) ---
  /** When set, stats/subscribe fails with it (as a helper without stats would). */
  statsError: Error | undefined;
  private vmStatsListeners = new Set<(p: VMStatsParams) => void>();
  private hostStatsListeners = new Set<(p: HostStatsParams) => void>();
  private exitListeners = new Set<ExitListener>();

  async subscribeStats(intervalMs: number) {
    this.calls.push(['subscribeStats', intervalMs]);
    if (this.statsError) throw this.statsError;
    return Math.min(10_000, Math.max(250, intervalMs));
  }
  async unsubscribeStats() {
    this.calls.push(['unsubscribeStats']);
  }
  onVmStats(listener: (p: VMStatsParams) => void): Disposable {
    this.vmStatsListeners.add(listener);
    return { dispose: () => void this.vmStatsListeners.delete(listener) };
  }
  onHostStats(listener: (p: HostStatsParams) => void): Disposable {
    this.hostStatsListeners.add(listener);
    return { dispose: () => void this.hostStatsListeners.delete(listener) };
  }
  async listSnapshots(vm: string) {
    this.calls.push(['listSnapshots', vm]);
    return { ...decodeSnapshotListResult(fixture('snapshot-list.result.json'), 'result'), vm };
  }

  /** The helper's side: one vm/stats notification. */
  emitVmStats(params: VMStatsParams): void {
    for (const listener of [...this.vmStatsListeners]) listener(params);
  }
  emitHostStats(params: HostStatsParams): void {
    for (const listener of [...this.hostStatsListeners]) listener(params);
  }
  get statsListeners(): number {
    return this.vmStatsListeners.size + this.hostStatsListeners.size;
  }

  /** The helper process ends unexpectedly (as a SIGKILL would end it). */
  die(exit: HelperExit = { exitCode: undefined, signal: 'SIGKILL' }): void {
    for (const listener of [...this.exitListeners]) listener(exit, false, new HelperGoneError(exit, this.logPath));
  }
}
