// ipsw/download, ipsw/list and ipsw/delete: the real helper fetching from a real HTTP server on
// loopback (test/helpers/rangeServer.ts) that drops, resets, stalls, fails and changes files.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HelperClient } from '../../src/rpc/client.js';
import { HelperRequestError } from '../../src/rpc/errors.js';
import type { IpswProgressParams } from '../../src/rpc/protocol.js';
import { tempHome, type TempHome } from '../helpers/home.js';
import { pidAlive } from '../helpers/process.js';
import { pseudoRandomBytes, RangeServer } from '../helpers/rangeServer.js';
import { waitFor } from '../helpers/wait.js';

const MiB = 1 << 20;
/** The helper's write block (PartialFile.writeChunk): what a killed helper may lose. */
const WRITE_CHUNK = 256 << 10;
const NAME = 'UniversalMac_14.4_23E214_Restore.ipsw';

/** A helper on `home`, with extra environment (e.g. a short stall timeout). */
async function helperOn(home: TempHome, env: NodeJS.ProcessEnv = {}): Promise<HelperClient> {
  const client = await HelperClient.start({ env: { ...home.env, ...env } });
  await client.initialize();
  return client;
}

async function withHelper(body: (client: HelperClient, home: TempHome) => Promise<void>, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const home = await tempHome();
  const client = await helperOn(home, env);
  try {
    await body(client, home);
  } finally {
    await client.shutdown({ requestTimeoutMs: 2000, graceMs: 2000 });
    await home.remove();
  }
}

async function rejection(promise: Promise<unknown>): Promise<HelperRequestError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof HelperRequestError, `expected a helper error, got ${String(error)}`);
    return error;
  }
  assert.fail('the request succeeded');
}

const partialPath = (home: TempHome) => join(home.home, 'cache', 'ipsw', `${NAME}.partial`);
const finalPath = (home: TempHome) => join(home.home, 'cache', 'ipsw', NAME);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function partialSize(client: HelperClient): Promise<number | undefined> {
  const { images } = await client.listIpsw();
  return images.find((i) => i.name === `${NAME}.partial`)?.sizeBytes;
}

test('interrupted at random offsets many times, the download resumes each time and ends with the same SHA-256', async (t) => {
  const seed = Number(process.env.VMTUI_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
  t.diagnostic(`seed ${seed} (VMTUI_TEST_SEED=${seed} replays it)`);
  let state = seed || 1;
  const random = () => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  const content = pseudoRandomBytes(6 * MiB + 12345, seed);
  const server = await new RangeServer(content).start();
  server.digest = 'repr-digest';
  try {
    await withHelper(async (client, home) => {
      let onDisk = 0;
      for (let round = 0; round < 6; round++) {
        // A drop inside the call (resumed by the helper at once), then a 500 that ends the call:
        // the next call resumes from the partial file.
        const dropAt = onDisk + 1 + Math.floor(random() * ((content.length - onDisk) / 6));
        server.queued.push({ kind: 'dropAt', offset: dropAt }, { kind: 'status', code: 500 });
        const error = await rejection(client.downloadIpsw({ url: server.url() }));
        assert.equal(error.code, 1011);
        assert.match(error.message, /failed \(HTTP 500 Internal Server Error\).*resumes from there/);
        const requests = server.requests.slice(-2);
        assert.equal(requests[0]?.start, onDisk, `round ${round}: the call resumed from the bytes on disk`);
        assert.equal(requests[1]?.range, `bytes=${dropAt}-`, `round ${round}: after the drop it asked for exactly the rest`);
        assert.equal(await partialSize(client), dropAt, `round ${round}: every byte received is kept`);
        assert.deepEqual(readFileSync(partialPath(home)).subarray(0, dropAt), content.subarray(0, dropAt));
        onDisk = dropAt;
      }
      const result = await client.downloadIpsw({ url: server.url() });
      assert.equal(result.sha256, sha256(content));
      assert.equal(result.verifiedWith, 'server');
      assert.equal(result.resumedFromBytes, onDisk);
      assert.equal(result.sizeBytes, content.length);
      assert.equal(server.totalSent, content.length, 'no byte was fetched twice');
      assert.ok(server.requests.slice(1).every((r) => r.range !== undefined && r.ifRange === server.etag), 'every resume is a conditional Range request');
      const { images } = await client.listIpsw();
      assert.deepEqual(images.map((i) => [i.name, i.complete, i.sha256]), [[NAME, true, result.sha256]]);
    });
  } finally {
    await server.close();
  }
});

test('a helper killed mid-download is resumed by a new helper, re-fetching at most one write block', async () => {
  const content = pseudoRandomBytes(8 * MiB, 11);
  // Slow enough that the helper keeps up, so the socket buffers hold little when it dies.
  const server = await new RangeServer(content, { rateBytesPerSecond: 3 * MiB }).start();
  const home = await tempHome();
  try {
    const first = await helperOn(home);
    const seen: IpswProgressParams[] = [];
    first.onIpswProgress((p) => seen.push(p));
    const pending = first.downloadIpsw({ url: server.url() });
    pending.catch(() => undefined);
    await waitFor(() => seen.some((p) => p.receivedBytes >= 2 * MiB), '2 MiB received');
    process.kill(first.pid, 'SIGKILL');
    await waitFor(() => !pidAlive(first.pid), 'the helper to die');
    await assert.rejects(pending);
    await first.shutdown({ requestTimeoutMs: 500, graceMs: 500 });
    const sentBeforeKill = server.totalSent;

    server.rateBytesPerSecond = 0;
    const second = await helperOn(home);
    try {
      const result = await second.downloadIpsw({ url: server.url() });
      assert.equal(result.sha256, sha256(content));
      assert.ok(result.resumedFromBytes > 0, 'it resumed');
      const refetched = sentBeforeKill - result.resumedFromBytes;
      assert.ok(refetched >= 0 && refetched <= WRITE_CHUNK + 2 * server.chunkBytes,
        `re-fetched ${refetched} bytes; a killed helper loses at most its write block (${WRITE_CHUNK}) plus what was in flight`);
      assert.equal(server.requests.at(-1)?.range, `bytes=${result.resumedFromBytes}-`);
    } finally {
      await second.shutdown();
    }
  } finally {
    await server.close();
    await home.remove();
  }
});

test('a corrupted partial file is caught by the digest, deleted, and the next call fetches it afresh', async () => {
  const content = pseudoRandomBytes(4 * MiB, 5);
  const server = await new RangeServer(content).start();
  server.digest = 'digest';
  try {
    await withHelper(async (client, home) => {
      server.queued.push({ kind: 'dropAt', offset: 3 * MiB }, { kind: 'status', code: 500 });
      await rejection(client.downloadIpsw({ url: server.url() }));
      // Flip a byte in what is on disk, as a bad disk or a crash might.
      const fd = openSync(partialPath(home), 'r+');
      writeSync(fd, Buffer.from([content[1000]! ^ 0xff]), 0, 1, 1000);
      closeSync(fd);

      const error = await rejection(client.downloadIpsw({ url: server.url() }));
      assert.equal(error.code, 1011);
      assert.match(error.message, /does not match the SHA-256 the server announced.*deleted; run the same download again/);
      assert.equal(existsSync(partialPath(home)), false, 'the corrupt partial is gone');
      assert.equal(existsSync(finalPath(home)), false, 'nothing corrupt was cached');

      const result = await client.downloadIpsw({ url: server.url() });
      assert.equal(result.resumedFromBytes, 0);
      assert.equal(server.requests.at(-1)?.range, undefined, 'fetched from the start');
      assert.equal(result.sha256, sha256(content));
      assert.equal(result.verifiedWith, 'server');
    });
  } finally {
    await server.close();
  }
});

test('404, 500, a reset, a refused connection and a stalled server each get their own sentence', async () => {
  const content = pseudoRandomBytes(2 * MiB, 3);
  const server = await new RangeServer(content).start();
  try {
    await withHelper(async (client, home) => {
      server.queued.push({ kind: 'status', code: 404 });
      let error = await rejection(client.downloadIpsw({ url: server.url() }));
      assert.match(error.message, /^The server at 127\.0\.0\.1:\d+ has no file at http:\/\/.*\.ipsw \(HTTP 404 Not Found\); check the URL\.$/);
      assert.deepEqual(error.data, { kind: 'backend', detail: 'HTTP 404 Not Found' });
      assert.deepEqual((await client.listIpsw()).images, [], 'a failure before any byte leaves nothing');

      server.queued.push({ kind: 'status', code: 500 });
      error = await rejection(client.downloadIpsw({ url: server.url() }));
      assert.match(error.message, /failed \(HTTP 500 Internal Server Error\) while asked for .*; try again later/);

      server.queued.push({ kind: 'resetAt', offset: 0 });
      error = await rejection(client.downloadIpsw({ url: server.url() }));
      assert.match(error.message, /^The connection to 127\.0\.0\.1:\d+ was lost after 0 bytes of 2 MiB \(the server closed or reset it\); then try again\.$/);

      const closed = await new RangeServer(content).start();
      const refusedUrl = closed.url();
      await closed.close();
      error = await rejection(client.downloadIpsw({ url: refusedUrl }));
      assert.match(error.message, /^Could not connect to 127\.0\.0\.1:\d+ \(.*\); check the URL and the network, then try again\.$/);
      assert.equal(existsSync(partialPath(home)), false);
    });

    // Stalled: 1 MiB, then silence on every connection. The helper resumes once (it got bytes),
    // gets nothing more, and gives up after the stall timeout.
    server.plan = (_index, start) => ({ kind: 'stallAt', offset: Math.max(start, MiB) });
    await withHelper(async (client) => {
      const error = await rejection(client.downloadIpsw({ url: server.url() }));
      assert.match(error.message, /^The server at 127\.0\.0\.1:\d+ sent nothing for 1 s, after 1 MiB of 2 MiB; the partial file is kept, so run the same download again to resume from there\. \(VMTUI_DOWNLOAD_STALL_SECONDS sets how long to wait\.\)$/);
      assert.equal(await partialSize(client), MiB);
    }, { VMTUI_DOWNLOAD_STALL_SECONDS: '1' });
  } finally {
    await server.close();
  }
});

test('a server that ignores Range restarts the file cleanly', async () => {
  const content = pseudoRandomBytes(3 * MiB, 8);
  const server = await new RangeServer(content).start();
  try {
    await withHelper(async (client) => {
      server.queued.push({ kind: 'dropAt', offset: 2 * MiB }, { kind: 'status', code: 500 });
      await rejection(client.downloadIpsw({ url: server.url() }));
      server.ignoreRange = true;
      const result = await client.downloadIpsw({ url: server.url() });
      assert.equal(result.sha256, sha256(content));
      assert.equal(result.sizeBytes, content.length);
      assert.equal(result.verifiedWith, 'none');
      const last = server.requests.at(-1);
      assert.equal(last?.range, `bytes=${2 * MiB}-`);
      assert.equal(last?.status, 200);
    });
  } finally {
    await server.close();
  }
});

test('a redirected download resumes with the same Range and If-Range at the new place', async () => {
  const content = pseudoRandomBytes(3 * MiB, 41);
  const server = await new RangeServer(content).start();
  try {
    await withHelper(async (client) => {
      const moved = server.url(`/moved/${NAME}`);
      server.queued.push({ kind: 'dropAt', offset: MiB }, { kind: 'status', code: 500 });
      await rejection(client.downloadIpsw({ url: moved }));
      const result = await client.downloadIpsw({ url: moved });
      assert.equal(result.sha256, sha256(content));
      assert.equal(result.resumedFromBytes, MiB);
      assert.equal(server.redirects, 3);
      const last = server.requests.at(-1);
      assert.equal(last?.range, `bytes=${MiB}-`);
      assert.equal(last?.ifRange, server.etag);
      assert.equal(last?.status, 206);
    });
  } finally {
    await server.close();
  }
});

test('a file changed on the server (new ETag) restarts, whether the server honours If-Range or not', async () => {
  for (const honourIfRange of [true, false]) {
    const old = pseudoRandomBytes(3 * MiB, 21);
    const fresh = pseudoRandomBytes(3 * MiB + 7, 22);
    const server = await new RangeServer(old).start();
    server.honourIfRange = honourIfRange;
    try {
      await withHelper(async (client) => {
        server.queued.push({ kind: 'dropAt', offset: MiB }, { kind: 'status', code: 500 });
        await rejection(client.downloadIpsw({ url: server.url() }));
        server.replace(fresh, '"v2"');
        const result = await client.downloadIpsw({ url: server.url() });
        assert.equal(result.sha256, sha256(fresh), `honourIfRange ${honourIfRange}`);
        assert.equal(result.sizeBytes, fresh.length);
        assert.equal(server.requests.at(-1)?.range, honourIfRange ? `bytes=${MiB}-` : undefined);
      });
    } finally {
      await server.close();
    }
  }
});

test('cancelling keeps the partial file with a sentence, and the next call finishes it', async () => {
  const content = pseudoRandomBytes(6 * MiB, 9);
  const server = await new RangeServer(content, { rateBytesPerSecond: 3 * MiB }).start();
  try {
    await withHelper(async (client, home) => {
      const seen: IpswProgressParams[] = [];
      client.onIpswProgress((p) => seen.push(p));
      const abort = new AbortController();
      const pending = client.downloadIpsw({ url: server.url() }, abort.signal);
      await waitFor(() => seen.some((p) => p.receivedBytes >= MiB), '1 MiB received');
      abort.abort();
      const error = await rejection(pending);
      assert.equal(error.code, 1012);
      assert.equal(error.kind, 'cancelled');
      assert.match(error.message, new RegExp(`^The download of ${NAME.replace(/\./g, '\\.')} was cancelled; the .+ received so far are kept in .+\\.partial, and the same download resumes from there\\.$`));
      const kept = await partialSize(client);
      assert.ok(kept !== undefined && kept >= MiB && kept < content.length, `kept ${kept}`);
      assert.equal(existsSync(finalPath(home)), false);

      server.rateBytesPerSecond = 0;
      const result = await client.downloadIpsw({ url: server.url(), sha256: sha256(content).toUpperCase() });
      assert.equal(result.resumedFromBytes, kept);
      assert.equal(result.sha256, sha256(content));
      assert.equal(result.verifiedWith, 'user');
      assert.equal(server.requests.at(-1)?.range, `bytes=${kept}-`);
    });
  } finally {
    await server.close();
  }
});

test('progress: connecting, downloading, verifying, with sizes, rate and ETA, a few per second', async () => {
  const content = pseudoRandomBytes(6 * MiB, 4);
  const server = await new RangeServer(content, { rateBytesPerSecond: 3 * MiB }).start();
  try {
    await withHelper(async (client) => {
      const seen: IpswProgressParams[] = [];
      client.onIpswProgress((p) => seen.push(p));
      const began = Date.now();
      await client.downloadIpsw({ url: server.url() });
      const seconds = (Date.now() - began) / 1000;
      const phases = seen.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
      assert.deepEqual(phases, ['connecting', 'downloading', 'verifying']);
      const downloading = seen.filter((p) => p.phase === 'downloading');
      assert.ok(downloading.every((p) => p.url === server.url() && p.totalBytes === content.length));
      assert.ok(downloading.every((p, i) => i === 0 || p.receivedBytes >= downloading[i - 1]!.receivedBytes));
      assert.ok(downloading.some((p) => p.bytesPerSecond > 0 && p.etaSeconds !== null), 'a rate and an ETA were given');
      // Throttled: about 4 a second (bounded by the time it took, so a slow machine cannot fail it).
      assert.ok(seen.length <= 4 * Math.ceil(seconds) + 4, `${seen.length} notifications in ${seconds} s`);
    });
  } finally {
    await server.close();
  }
});

test('a wrong sha256 from the user is an error saying so, and nothing is cached', async () => {
  const content = pseudoRandomBytes(MiB, 6);
  const server = await new RangeServer(content).start();
  server.digest = 'content-digest';
  try {
    await withHelper(async (client, home) => {
      const wrong = 'ab'.repeat(32);
      const error = await rejection(client.downloadIpsw({ url: server.url(), sha256: wrong }));
      assert.equal(error.code, 1011);
      assert.match(error.message, new RegExp(`does not match the SHA-256 you gave: it is ${sha256(content)}, not ${wrong}\\. It was deleted and nothing was cached`));
      assert.deepEqual((await client.listIpsw()).images, []);
      assert.equal(existsSync(finalPath(home)), false);

      const bad = await rejection(client.downloadIpsw({ url: server.url(), sha256: 'xyz' }));
      assert.equal(bad.code, -32602);
      assert.match(bad.message, /'sha256' must be 64 hexadecimal digits/);
      const notHttp = await rejection(client.downloadIpsw({ url: 'ftp://example.com/a.ipsw' }));
      assert.equal(notHttp.code, -32602);
      assert.match(notHttp.message, /'url' must be an http or https URL/);

      // Without the user's value, the server's Content-Digest (on a whole 200 answer) is used.
      const result = await client.downloadIpsw({ url: server.url() });
      assert.equal(result.verifiedWith, 'server');
      // Asked again: answered from the cache, no new request.
      const requests = server.requests.length;
      const again = await client.downloadIpsw({ url: server.url() });
      assert.deepEqual(again, { ...result, resumedFromBytes: content.length });
      assert.equal(server.requests.length, requests);
    });
  } finally {
    await server.close();
  }
});

test('a second download of the same file is refused while the first runs; list and delete', async () => {
  const content = pseudoRandomBytes(6 * MiB, 12);
  const server = await new RangeServer(content, { rateBytesPerSecond: 2 * MiB }).start();
  const home = await tempHome();
  const first = await helperOn(home);
  const second = await helperOn(home);
  try {
    const seen: IpswProgressParams[] = [];
    first.onIpswProgress((p) => seen.push(p));
    const abort = new AbortController();
    const running = first.downloadIpsw({ url: server.url() }, abort.signal);
    running.catch(() => undefined);
    await waitFor(() => seen.some((p) => p.phase === 'downloading'), 'the first download to run');
    const busy = await rejection(second.downloadIpsw({ url: server.url() }));
    assert.equal(busy.code, 1005);
    assert.match(busy.message, /is being downloaded right now/);
    const refused = await rejection(second.deleteIpsw(`${NAME}.partial`));
    assert.equal(refused.code, 1005);
    abort.abort();
    await assert.rejects(running);

    const { images } = await second.listIpsw();
    assert.equal(images.length, 1);
    assert.equal(images[0]?.complete, false);
    assert.equal(images[0]?.url, server.url());
    assert.equal(images[0]?.totalBytes, content.length);
    await second.deleteIpsw(`${NAME}.partial`);
    assert.deepEqual((await second.listIpsw()).images, []);
    const missing = await rejection(second.deleteIpsw(NAME));
    assert.equal(missing.code, 1002);
    assert.match(missing.message, /No cached restore image or partial download is named/);
  } finally {
    await first.shutdown();
    await second.shutdown();
    await server.close();
    await home.remove();
  }
});

test('ipsw/latest on Linux says macOS guests need an Apple silicon Mac', { skip: process.platform === 'darwin' ? 'runs the real lookup on a Mac' : false }, async () => {
  await withHelper(async (client) => {
    const error = await rejection(client.latestIpsw());
    assert.equal(error.code, 1010);
    assert.match(error.message, /macOS guests need an Apple silicon Mac/);
  });
});

