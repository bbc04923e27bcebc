// A fake helper below the rpc boundary, for benchmarks of the UI: an in-process JSON-RPC peer on a
// pipe pair that answers the dashboard's requests from the protocol fixtures and sends vm/stats and
// host/stats like the real serve process. The real HelperClient (framing, decoding) sits on top.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { HelperExit } from '../../src/rpc/errors.js';
import type { HelperProcess } from '../../src/rpc/helperProcess.js';
import type { VMInfo } from '../../src/rpc/protocol.js';
import type { VMStats } from '../../src/rpc/protocol.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const fixture = (folder: string, file: string) => JSON.parse(readFileSync(join(repo, 'test/fixtures', folder, file), 'utf8'));

export interface FakeHelper {
  process: HelperProcess;
  /** vm/stats notifications sent so far. */
  ticks(): number;
}

/** `count` running VMs named vm-00…, shaped like the vm-list fixture's running VM. */
export function fakeVms(count: number): VMInfo[] {
  const dev = fixture('protocol', 'vm-list.result.json').result.vms[0] as VMInfo;
  return Array.from({ length: count }, (_, i) => ({ ...dev, name: `vm-${String(i).padStart(2, '0')}`, sshAddress: `127.0.0.1:${40000 + i}` }));
}

/** The helper's side: answers requests read from `input` and writes answers and stats to `output`. */
export function serveFake(vms: VMInfo[], input: NodeJS.ReadableStream, output: NodeJS.WritableStream, onExit: () => void = () => undefined): { ticks(): number; stop(): void } {
  const helper = createMessageConnection(new StreamMessageReader(input), new StreamMessageWriter(output));
  const sample = fixture('ui', 'vm-stats.notification.json').params.vms[0] as VMStats;
  const host = fixture('ui', 'host-stats.notification.json').params;
  let timer: NodeJS.Timeout | undefined;
  let tick = 0;

  const send = () => {
    tick++;
    const time = new Date().toISOString();
    // Every figure moves every tick, so every sparkline and figure redraws: the worst case.
    const stats = vms.map((vm, i) => ({
      ...sample,
      name: vm.name,
      cpuPercent: ((tick * 37 + i * 11) % 200) + 0.5,
      hostCpuPercent: ((tick * 37 + i * 11) % 200) / 4,
      residentBytes: sample.residentBytes + ((tick * 7 + i) % 64) * 2 ** 20,
      uptimeSeconds: 3600 + tick,
      sshAddress: vm.sshAddress,
    }));
    void helper.sendNotification('vm/stats', { time, vms: stats });
    void helper.sendNotification('host/stats', { ...host, time, cpuPercent: (tick * 13) % 100 });
  };

  helper.onRequest('initialize', () => fixture('protocol', 'initialize.result.json').result);
  helper.onRequest('host/info', () => fixture('protocol', 'host-info-linux.result.json').result);
  helper.onRequest('vm/list', () => ({ vms, problems: [] }));
  helper.onRequest('stats/subscribe', (params: { intervalMs: number }) => {
    if (timer) clearInterval(timer);
    timer = setInterval(send, params.intervalMs);
    return { intervalMs: params.intervalMs };
  });
  helper.onRequest('stats/unsubscribe', () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    return null;
  });
  helper.onRequest('shutdown', () => null);
  helper.onNotification('exit', () => {
    if (timer) clearInterval(timer);
    helper.dispose();
    onExit();
  });
  helper.onClose(() => {
    if (timer) clearInterval(timer);
    onExit();
  });
  helper.listen();
  return {
    ticks: () => tick,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}

/** The fake in this process, on a pipe pair, with the real HelperClient's connection on top. */
export function startFakeHelper(vms: VMInfo[]): FakeHelper {
  const toHelper = new PassThrough();
  const toClient = new PassThrough();
  let exit: HelperExit | undefined;
  let exited: (e: HelperExit) => void = () => undefined;
  const fake = serveFake(vms, toHelper, toClient, () => {
    exit ??= { exitCode: 0, signal: undefined };
    exited(exit);
  });
  const connection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toHelper));
  connection.onClose(() => connection.dispose());
  connection.listen();

  const process: HelperProcess = {
    connection,
    pid: 0,
    command: 'fake-helper',
    logPath: '/dev/null',
    exited: new Promise((done) => (exited = done)),
    hasExited: () => exit !== undefined,
    closeInput: () => toHelper.end(),
    release: () => undefined,
    kill: () => {
      fake.stop();
      exit ??= { exitCode: undefined, signal: 'SIGTERM' };
      exited(exit);
    },
  };
  return { process, ticks: fake.ticks };
}
