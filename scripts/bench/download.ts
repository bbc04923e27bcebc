// ipsw/download on loopback: the real helper fetching a file from a real HTTP server
// (test/helpers/rangeServer.ts), beside curl fetching the same file from the same server in the
// same run; then the bytes fetched twice after a dropped connection and after a killed helper.
// Run: node dist/scripts/bench/download.js [MiB]   (default 256; build the helper with
// 'bash scripts/build-helper.sh release' first for release figures)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { HelperClient } from '../../src/rpc/client.js';
import type { IpswProgressParams } from '../../src/rpc/protocol.js';
import { pseudoRandomBytes, RangeServer } from '../../test/helpers/rangeServer.js';
import { percentile, ratio } from './stats.js';

const MiB = 1 << 20;
const WRITE_CHUNK = 256 << 10; // PartialFile.writeChunk in the helper
const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const sizeMiB = Number(process.argv[2] ?? 256);
const runs = 3;

const launcher = readFileSync(join(repo, 'helper/.build/vmtui-helper'), 'utf8');
const build = /\/release\//.test(launcher) ? 'release' : /\/debug\//.test(launcher) ? 'debug' : 'unknown';
const content = pseudoRandomBytes(sizeMiB * MiB, 1);
const server = await new RangeServer(content, { chunkBytes: 256 << 10 }).start();
const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-dl-'));
const env = { ...process.env, VMTUI_HOME: home };
const rate = (seconds: number) => `${(sizeMiB / seconds).toFixed(0)} MiB/s`;

console.log(`ipsw/download on loopback, ${sizeMiB} MiB, median of ${runs} runs each (helper: ${build} build)`);

// curl writes to a file on the same file system, as the helper does (it also hashes the file).
const curlSeconds: number[] = [];
const curlOut = join(home, 'curl.out');
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  // Not spawnSync: the server runs in this process and must keep serving.
  const r = await execa('curl', ['-sS', '-o', curlOut, server.url()], { reject: false });
  if (r.exitCode !== 0) throw new Error(`curl failed: ${String(r.stderr)}`);
  curlSeconds.push((performance.now() - t) / 1000);
  rmSync(curlOut);
}

const client = await HelperClient.start({ env });
await client.initialize();
let verifyingAt = 0;
client.onIpswProgress((p) => {
  if (p.phase === 'verifying' && verifyingAt === 0) verifyingAt = performance.now();
});
const helperSeconds: number[] = [];
const hashSeconds: number[] = [];
for (let i = 0; i < runs; i++) {
  verifyingAt = 0;
  const t = performance.now();
  const result = await client.downloadIpsw({ url: server.url() });
  const end = performance.now();
  helperSeconds.push((end - t) / 1000);
  if (verifyingAt > 0) hashSeconds.push((end - verifyingAt) / 1000);
  await client.deleteIpsw(result.path.split('/').pop() ?? '');
}

const curlMedian = percentile(curlSeconds, 50);
const helperMedian = percentile(helperSeconds, 50);
console.log(`${'curl -o FILE'.padEnd(44)} ${curlMedian.toFixed(2)} s  ${rate(curlMedian)}`);
console.log(`${'helper ipsw/download (fetch + SHA-256 pass)'.padEnd(44)} ${helperMedian.toFixed(2)} s  ${rate(helperMedian)}`);
if (hashSeconds.length > 0) console.log(`${'  of which the SHA-256 pass'.padEnd(44)} ${percentile(hashSeconds, 50).toFixed(2)} s`);
ratio('ratio helper time / curl time (median)', helperMedian, curlMedian);

// A dropped connection half-way: the helper resumes in the same call.
const sentBefore = server.totalSent;
server.queued.push({ kind: 'dropAt', offset: Math.floor(content.length / 2) });
const dropped = await client.downloadIpsw({ url: server.url() });
console.log(`${'bytes fetched twice, dropped connection'.padEnd(44)} ${server.totalSent - sentBefore - content.length}`);
await client.deleteIpsw(dropped.path.split('/').pop() ?? '');
await client.shutdown();

// A helper killed half-way (SIGKILL): a new helper resumes from the partial file. The server is
// paced so that what sits in socket buffers at the kill is small next to the write block.
server.rateBytesPerSecond = 64 * MiB;
const first = await HelperClient.start({ env });
await first.initialize();
let received = 0;
first.onIpswProgress((p: IpswProgressParams) => (received = p.receivedBytes));
const startSent = server.totalSent;
const pending = first.downloadIpsw({ url: server.url() });
pending.catch(() => undefined);
while (received < content.length / 2) await new Promise((done) => setTimeout(done, 20));
process.kill(first.pid, 'SIGKILL');
await first.process.exited;
const sentBeforeKill = server.totalSent - startSent;
server.rateBytesPerSecond = 0;
const second = await HelperClient.start({ env });
await second.initialize();
const resumed = await second.downloadIpsw({ url: server.url() });
await second.shutdown();
const refetched = sentBeforeKill - resumed.resumedFromBytes;
console.log(`${'bytes fetched twice, killed helper'.padEnd(44)} ${refetched} (write block ${WRITE_CHUNK}; ${(refetched / WRITE_CHUNK).toFixed(2)} blocks)`);

await server.close();
rmSync(home, { recursive: true, force: true });
