// `vmtui ipsw …` end to end: the built CLI, the real helper, a real HTTP server on loopback.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { execa } from 'execa';
import { decodeIpswDownloadResult, decodeIpswListResult, decodeIpswProgressParams } from '../../src/rpc/protocol.js';
import { tempHome, type TempHome } from '../helpers/home.js';
import { cliPath } from '../helpers/process.js';
import { pseudoRandomBytes, RangeServer } from '../helpers/rangeServer.js';
import { waitFor } from '../helpers/wait.js';

const MiB = 1 << 20;
const NAME = 'UniversalMac_14.4_23E214_Restore.ipsw';

const vmtui = (home: TempHome, args: string[]) =>
  execa(process.execPath, [cliPath, ...args], { reject: false, env: home.env, extendEnv: false, stdin: 'ignore' });

test('vmtui ipsw download --json prints progress lines, then the result; list and delete', async () => {
  const content = pseudoRandomBytes(3 * MiB, 31);
  const server = await new RangeServer(content, { rateBytesPerSecond: 6 * MiB }).start();
  server.digest = 'repr-digest';
  const home = await tempHome();
  try {
    const r = await vmtui(home, ['ipsw', 'download', server.url(), '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const lines = r.stdout.split('\n').map((l) => JSON.parse(l) as { event: string; progress?: unknown; result?: unknown });
    const last = lines.pop();
    assert.equal(last?.event, 'result');
    const result = decodeIpswDownloadResult(last?.result, 'result');
    assert.equal(result.sha256, createHash('sha256').update(content).digest('hex'));
    assert.equal(result.verifiedWith, 'server');
    assert.ok(lines.length >= 2, 'progress came before the result');
    const progress = lines.map((l) => {
      assert.equal(l.event, 'progress');
      return decodeIpswProgressParams(l.progress, 'progress');
    });
    assert.equal(progress[0]?.phase, 'connecting');
    assert.ok(progress.some((p) => p.phase === 'downloading' && p.totalBytes === content.length));

    const list = await vmtui(home, ['ipsw', 'list', '--json']);
    assert.equal(list.exitCode, 0, list.stderr);
    assert.deepEqual(decodeIpswListResult(JSON.parse(list.stdout), 'stdout').images.map((i) => [i.name, i.complete, i.sha256]), [[NAME, true, result.sha256]]);
    const table = await vmtui(home, ['ipsw', 'list']);
    assert.match(table.stdout, new RegExp(`^${NAME.replace(/\./g, '\\.')} +3 MiB {2}complete$`, 'm'));

    const again = await vmtui(home, ['ipsw', 'download', server.url()]);
    assert.equal(again.exitCode, 0, again.stderr);
    assert.match(again.stdout, /^Already in the cache: .*\(3 MiB, SHA-256 [0-9a-f]{64}\)\.$/m);

    const deleted = await vmtui(home, ['ipsw', 'delete', NAME]);
    assert.equal(deleted.exitCode, 0, deleted.stderr);
    assert.equal(deleted.stdout, `Deleted '${NAME}' from the cache.`);
    assert.match((await vmtui(home, ['ipsw', 'list'])).stdout, /^No restore images are cached/);
  } finally {
    await server.close();
    await home.remove();
  }
});

test('Ctrl-C (SIGINT) stops vmtui ipsw download, keeps the partial and says how to resume', async () => {
  const content = pseudoRandomBytes(6 * MiB, 32);
  const server = await new RangeServer(content, { rateBytesPerSecond: 2 * MiB }).start();
  const home = await tempHome();
  try {
    const run = execa(process.execPath, [cliPath, 'ipsw', 'download', server.url(), '--json'], {
      reject: false, env: home.env, extendEnv: false, stdin: 'ignore', buffer: true, lines: false,
    });
    let out = '';
    run.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(() => /"receivedBytes":[1-9]/.test(out), 'bytes to arrive');
    run.kill('SIGINT');
    const r = await run;
    assert.equal(r.exitCode, 1);
    assert.match(String(r.stderr), new RegExp(`^vmtui: The download of ${NAME.replace(/\./g, '\\.')} was cancelled; the .+ received so far are kept in .+\\.partial, and the same download resumes from there\\. To resume: vmtui ipsw download ${server.url().replace(/[.?]/g, '\\$&')}\\n?$`));

    const resumed = await vmtui(home, ['ipsw', 'download', server.url()]);
    assert.equal(resumed.exitCode, 0, resumed.stderr);
    assert.match(resumed.stdout, /\(6 MiB, resumed at .+\)\.\nSHA-256 [0-9a-f]{64}, checked against nothing: the server announced no SHA-256; pass --sha256 HEX to check it\.$/);
  } finally {
    await server.close();
    await home.remove();
  }
});

test('ipsw usage mistakes and helper refusals are sentences with their exit status', async () => {
  const home = await tempHome();
  try {
    const missing = await vmtui(home, ['ipsw', 'download']);
    assert.equal(missing.exitCode, 2);
    assert.match(missing.stderr, /^vmtui: 'vmtui ipsw download' needs URL/);
    const bare = await vmtui(home, ['ipsw']);
    assert.equal(bare.exitCode, 2);
    assert.match(bare.stderr, /use 'vmtui ipsw latest\|download\|list\|delete'/);
    const badHash = await vmtui(home, ['ipsw', 'download', 'https://example.com/a.ipsw', '--sha256', 'abc']);
    assert.equal(badHash.exitCode, 1);
    assert.match(badHash.stderr, /^vmtui: Parameter 'sha256' must be 64 hexadecimal digits/);
    const gone = await vmtui(home, ['ipsw', 'delete', 'nothing.ipsw']);
    assert.equal(gone.exitCode, 1);
    assert.match(gone.stderr, /No cached restore image or partial download is named 'nothing\.ipsw'/);
    if (process.platform === 'linux') {
      const latest = await vmtui(home, ['ipsw', 'latest']);
      assert.equal(latest.exitCode, 1);
      assert.match(latest.stderr, /^vmtui: macOS guests need an Apple silicon Mac/);
    }
  } finally {
    await home.remove();
  }
});
