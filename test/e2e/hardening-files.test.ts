// Files in a bundle are reached without following links (PROTOCOL.md "Files in a bundle"): a
// symlink to an outside file, a FIFO or a folder where the helper or a host would write is refused
// with a sentence naming the file, and the outside file stays byte-identical. Real helper and host;
// every start here fails before QEMU runs, so no guest boots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { guestParams, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
let bundle: string;
let outside: string;
const OUTSIDE_BYTES = 'outside file: vmtui must never write here\n';

before(async () => {
  s = await vmSession();
  await s.client.createVm(guestParams('links'));
  bundle = join(s.home.home, 'vms', 'links');
  outside = join(mkdtempSync(join(tmpdir(), 'vmtui-outside-')), 'victim.txt');
  writeFileSync(outside, OUTSIDE_BYTES);
});
after(async () => {
  await s.close();
  rmSync(join(outside, '..'), { recursive: true, force: true });
});

/** Puts `make(path)` where `file` is for the duration of `body`, then puts the original back. */
async function swapped(file: string, make: (path: string) => void, body: () => Promise<void>): Promise<void> {
  const path = join(bundle, file);
  const saved = `${path}.saved-by-test`;
  let had = false;
  try { renameSync(path, saved); had = true; } catch { /* absent */ }
  make(path);
  try {
    await body();
  } finally {
    rmSync(path, { recursive: true, force: true });
    if (had) renameSync(saved, path);
  }
}

const link = (path: string) => symlinkSync(outside, path);

function refused(file: string, found: RegExp) {
  return (e: Error) => {
    assert.ok(e.message.includes(join(bundle, file)), `the error names ${file}: ${e.message}`);
    assert.match(e.message, found);
    assert.match(e.message, /wrote nothing through it.*Move it away/);
    return true;
  };
}

async function assertStillStopped(): Promise<void> {
  const vm = await s.client.getVm('links');
  assert.equal(vm.hostPid, undefined, 'no host is left running after the refused start');
  assert.equal(readFileSync(outside, 'utf8'), OUTSIDE_BYTES, 'the outside file is byte-identical');
}

// Files the per-VM host (or serve for host.log, or qemu's launch) opens for writing at start.
for (const file of ['console.log', 'events.jsonl', 'host.log', 'qemu.log', 'host.lock', 'control.sock', 'qmp.sock', 'disk.img']) {
  test(`a symlink to an outside file as ${file} stops the start with a sentence naming it`, async () => {
    await swapped(file, link, async () => {
      await assert.rejects(s.client.startVm('links'), refused(file, /is a symbolic link/));
      await assertStillStopped();
    });
  });
}

test('a FIFO as console.log is refused at once, without hanging the host', async () => {
  await swapped('console.log', (p) => execFileSync('mkfifo', [p]), async () => {
    await assert.rejects(s.client.startVm('links'), refused('console.log', /is a FIFO/));
    await assertStillStopped();
  });
});

test('a folder as events.jsonl is refused', async () => {
  await swapped('events.jsonl', (p) => mkdirSync(p), async () => {
    await assert.rejects(s.client.startVm('links'), refused('events.jsonl', /is a folder/));
    await assertStillStopped();
  });
});

test('serve refuses to replace a config.json that is a symlink (vm/configure)', async () => {
  // The link points at a valid copy, so reading works and only the write is refused.
  const copy = join(outside, '..', 'config-copy.json');
  copyFileSync(join(bundle, 'config.json'), copy);
  const before = readFileSync(copy);
  await swapped('config.json', (p) => symlinkSync(copy, p), async () => {
    await assert.rejects(s.client.configureVm({ name: 'links', cpuCount: 1 }), refused('config.json', /is a symbolic link/));
    assert.deepEqual(readFileSync(copy), before, 'the linked config stays byte-identical');
  });
});

test('serve refuses to grow a disk.img that is a symlink (vm/configure diskBytes)', async () => {
  await swapped('disk.img', link, async () => {
    await assert.rejects(s.client.configureVm({ name: 'links', diskBytes: 128 * 2 ** 20, sparseOvercommit: true }), refused('disk.img', /is a symbolic link/));
    assert.equal(readFileSync(outside, 'utf8'), OUTSIDE_BYTES);
  });
});

test('serve refuses a .clone.lock that is a symlink (snapshot/create)', async () => {
  await swapped('.clone.lock', link, async () => {
    await assert.rejects(s.client.createSnapshot({ vm: 'links', name: 's1' }), refused('.clone.lock', /is a symbolic link/));
    assert.equal(readFileSync(outside, 'utf8'), OUTSIDE_BYTES);
  });
});

test('with every file back in place the VM starts and stops normally', async () => {
  const started = await s.client.startVm('links');
  assert.equal(started.state, 'running');
  const stopped = await s.client.stopVm({ name: 'links', force: true });
  assert.equal(stopped.state, 'stopped');
  assert.equal(readFileSync(outside, 'utf8'), OUTSIDE_BYTES);
});
