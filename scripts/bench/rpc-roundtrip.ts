// Round trip of host/info: 2,000 calls through the real Swift helper, beside the same calls
// answered by an in-process vscode-jsonrpc peer, in the same run. The ratio is what the helper's
// process, framing and work add. Run: node dist/scripts/bench/rpc-roundtrip.js [calls]
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { HelperClient } from '../../src/rpc/client.js';
import { hostInfoRequest } from '../../src/rpc/protocol.js';
import { ratio, report } from './stats.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const calls = Number(process.argv[2] ?? 2000);

async function timeCalls(call: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 50; i++) await call(); // warm up
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await call();
    samples.push(performance.now() - t);
  }
  return samples;
}

const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const client = await HelperClient.start({ env: { ...process.env, VMTUI_HOME: home } });
await client.initialize();
const real = await timeCalls(() => client.hostInfo());
await client.shutdown();
rmSync(home, { recursive: true, force: true });

// The same request over an in-process pipe pair, answered with a canned host/info.
const canned = JSON.parse(readFileSync(join(repo, 'test/fixtures/protocol/host-info-linux.result.json'), 'utf8')).result;
const up = new PassThrough();
const down = new PassThrough();
const server = createMessageConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
server.onRequest(hostInfoRequest.method, () => canned);
server.listen();
const peer = createMessageConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
peer.listen();
const local = await timeCalls(() => peer.sendRequest(hostInfoRequest.method, {}));
peer.dispose();
server.dispose();

console.log(`host/info round trip, ${calls} sequential calls`);
const a = report('real helper (process + framing + /proc reads)', real);
const b = report('in-process vscode-jsonrpc peer', local);
ratio('ratio helper / in-process (p50)', a.p50, b.p50);
ratio('ratio helper / in-process (p99)', a.p99, b.p99);
