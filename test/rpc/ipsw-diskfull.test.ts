// ipsw/download onto a full disk: VMTUI_HOME on a 2 MiB tmpfs, the real helper, a real HTTP server.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { HelperClient } from '../../src/rpc/client.js';
import { HelperRequestError } from '../../src/rpc/errors.js';
import { pseudoRandomBytes, RangeServer } from '../helpers/rangeServer.js';

const MiB = 1 << 20;
const NAME = 'UniversalMac_14.4_23E214_Restore.ipsw';

/** A 2 MiB tmpfs, or the reason there cannot be one here. */
async function smallTmpfs(): Promise<{ dir: string; unmount: () => Promise<void> } | string> {
  if (process.platform !== 'linux') return 'mounting a tmpfs is a Linux test';
  const dir = mkdtempSync(join(tmpdir(), 'vmtui-full-'));
  const mounted = await execa('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0755', 'tmpfs', dir], { reject: false });
  if (mounted.exitCode !== 0) {
    rmdirSync(dir);
    return `cannot mount a tmpfs here (${String(mounted.stderr ?? mounted.message).trim()})`;
  }
  return {
    dir,
    unmount: async () => {
      // The helper's Linux root binds VMTUI_HOME into itself; those binds go too (deepest first).
      const mounts = readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.endsWith(dir));
      for (const m of mounts.sort().reverse()) await execa('umount', ['-l', m], { reject: false });
      rmdirSync(dir);
    },
  };
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

test('a full disk is 1009 diskFull with a sentence, and no cache entry is corrupt', async (t) => {
  const fs = await smallTmpfs();
  if (typeof fs === 'string') return t.skip(fs);
  const content = pseudoRandomBytes(4 * MiB, 2);
  const server = await new RangeServer(content).start();
  const client = await HelperClient.start({ env: { ...process.env, VMTUI_HOME: fs.dir } });
  try {
    await client.initialize();
    const cache = join(fs.dir, 'cache', 'ipsw');

    // The size is known: refused before a byte is written.
    let error = await rejection(client.downloadIpsw({ url: server.url() }));
    assert.equal(error.code, 1009);
    assert.deepEqual(error.data, { kind: 'diskFull', path: cache });
    assert.match(error.message, new RegExp(`^The disk holding ${cache} has .+ free, but ${NAME.replace(/\./g, '\\.')} needs 4 MiB more; free some space and run the same download again`));
    assert.deepEqual(readdirSync(cache), [], 'nothing is left behind');

    // The size is not known (chunked): the disk fills mid-way.
    server.hideLength = true;
    error = await rejection(client.downloadIpsw({ url: server.url() }));
    assert.equal(error.code, 1009);
    assert.equal(error.kind, 'diskFull');
    assert.match(error.message, new RegExp(`^The disk holding ${cache} is full: the download of ${NAME.replace(/\./g, '\\.')} stopped after .+\\. Free some space and run the same download again; it resumes from the partial file`));
    assert.equal(existsSync(join(cache, NAME)), false, 'no final entry');
    const partial = readFileSync(join(cache, `${NAME}.partial`));
    assert.ok(partial.length > 0 && partial.length < content.length, `partial of ${partial.length} bytes`);
    assert.ok(partial.equals(content.subarray(0, partial.length)), 'the partial file holds exactly the bytes received');
    const { images } = await client.listIpsw();
    assert.deepEqual(images.map((i) => [i.name, i.complete]), [[`${NAME}.partial`, false]]);
  } finally {
    await client.shutdown();
    await server.close();
    await fs.unmount();
  }
});
