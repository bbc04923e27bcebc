// `vmtui create NAME --image PATH|URL` end to end, with the real CLI and helper: a raw image, the
// same image as qcow2 and as compressed qcow2 (made by qemu-img, which needs the toolchain root on
// Linux) all give a disk.img identical to `qemu-img convert -O raw`; the source files stay as they
// were; --disk grows; a URL from a loopback HTTP server is verified with --sha256 and cached for a
// second VM. When the Debian test image exists (VMTUI_TEST_DEBIAN_DIR), a VM made from it as qcow2
// boots the guest's own kernel through UEFI to systemd on the console.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { HelperRequestError } from '../../src/rpc/errors.js';
import { imageProgressNotification, vmCreateRequest, type ImageProgressParams } from '../../src/rpc/protocol.js';
import { cliPath } from '../helpers/process.js';
import { RangeServer } from '../helpers/rangeServer.js';
import { ConsoleWatch, vmSession, type VmSession } from './vm-support.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const MiB = 2 ** 20;

let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

/** qemu-img from the toolchain root (or the host's, where no root is used). */
function qemuImg(args: string[]): void {
  execFileSync('bash', [join(repo, 'scripts/toolchain/in-root.sh'), 'qemu-img', ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** SHA-256 of a file read in 8 MiB pieces (disk images are too big for one Buffer). */
function sha256(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buffer = Buffer.alloc(8 * MiB);
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** 48 MiB: holes, random data, text that compresses, and a few bytes at the very end. */
function makeRaw(path: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, createHash('sha512').update('seed').digest(), 0, 64, 0);
    let block = Buffer.alloc(0);
    for (let i = 0; block.length < 2 * MiB; i++) block = Buffer.concat([block, createHash('sha512').update(String(i)).digest()]);
    writeSync(fd, block, 0, block.length, 3 * MiB);
    const text = Buffer.from('a line the qcow2 compressor will shrink\n'.repeat(50_000));
    writeSync(fd, text, 0, text.length, 20 * MiB);
    writeSync(fd, Buffer.from('the end'), 0, 7, 48 * MiB - 7);
  } finally {
    closeSync(fd);
  }
}

async function vmtui(args: string[]) {
  return execa(process.execPath, [cliPath, ...args], { reject: false, env: s.home.env, stdin: 'ignore' });
}

function disk(name: string): string {
  return join(s.home.home, 'vms', name, 'disk.img');
}

test('raw, qcow2 and compressed qcow2 images become the same disk.img as qemu-img makes; sources untouched; --disk grows', async () => {
  const raw = join(s.home.home, 'src.raw');
  makeRaw(raw);
  const qcow2 = join(s.home.home, 'src.qcow2');
  const compressed = join(s.home.home, 'src-c.qcow2');
  qemuImg(['convert', '-f', 'raw', '-O', 'qcow2', raw, qcow2]);
  qemuImg(['convert', '-f', 'raw', '-O', 'qcow2', '-c', raw, compressed]);
  assert.ok(statSync(compressed).size < statSync(qcow2).size, 'the compressed image has compressed clusters');
  const reference = join(s.home.home, 'reference.raw');
  qemuImg(['convert', '-f', 'qcow2', '-O', 'raw', compressed, reference]);
  const want = sha256(reference);
  const before = [raw, qcow2, compressed].map((f) => ({ f, sum: sha256(f), mtime: statSync(f).mtimeMs }));

  for (const [name, image] of [['fromraw', raw], ['fromqcow', qcow2], ['fromzip', compressed]] as const) {
    const r = await vmtui(['create', name, '--image', image, '--memory', '256M', '--cpus', '1']);
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Created VM '${name}' from ${image} .*EFI, from its disk`));
    assert.equal(statSync(disk(name)).size, 48 * MiB);
    assert.equal(sha256(disk(name)), want, `${name}: disk.img differs from qemu-img's conversion`);
    assert.ok(statSync(disk(name)).blocks * 512 < 16 * MiB, `${name}: disk.img is not sparse`);
  }
  for (const b of before) {
    assert.equal(sha256(b.f), b.sum, `${b.f} changed`);
    assert.equal(statSync(b.f).mtimeMs, b.mtime, `${b.f} was written`);
  }

  const grown = await vmtui(['create', 'grown', '--image', compressed, '--disk', '128M', '--json']);
  assert.equal(grown.exitCode, 0, grown.stderr);
  const events = grown.stdout.trim().split('\n').map((line) => JSON.parse(line) as { event: string; progress?: { phase: string }; vm?: { diskBytes: number; boot: unknown } });
  assert.ok(events.some((e) => e.event === 'progress' && e.progress?.phase === 'importing'), grown.stdout);
  assert.deepEqual(events.at(-1)?.vm?.boot, { kind: 'efi' });
  assert.equal(events.at(-1)?.vm?.diskBytes, 128 * MiB);
  assert.equal(statSync(disk('grown')).size, 128 * MiB);
  const head = Buffer.alloc(48 * MiB);
  const fd = openSync(disk('grown'), 'r');
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  assert.equal(createHash('sha256').update(head).digest('hex'), want);

  const small = await vmtui(['create', 'small', '--image', qcow2, '--disk', '16M']);
  assert.equal(small.exitCode, 1, small.stderr);
  assert.match(small.stderr, /holds a 50331648-byte disk, so the VM's disk cannot be 16777216 bytes; give a size of at least/);
  assert.equal(existsSync(join(s.home.home, 'vms', 'small')), false);
});

test('a URL is downloaded once, checked against --sha256, and shared by the next VM from the cache', async () => {
  const raw = join(s.home.home, 'url.raw');
  makeRaw(raw);
  const compressed = join(s.home.home, 'url.qcow2');
  qemuImg(['convert', '-f', 'raw', '-O', 'qcow2', '-c', raw, compressed]);
  const bytes = readFileSync(compressed);
  const hex = createHash('sha256').update(bytes).digest('hex');
  const server = await new RangeServer(bytes).start();
  try {
    const url = server.url('/images/debian-test.qcow2');
    const wrong = await vmtui(['create', 'bad', '--image', url, '--sha256', '0'.repeat(64)]);
    assert.equal(wrong.exitCode, 1, wrong.stderr);
    assert.match(wrong.stderr, /does not match the SHA-256 you gave/);
    assert.equal(existsSync(join(s.home.home, 'vms', 'bad')), false);

    const first = await vmtui(['create', 'web1', '--image', url, '--sha256', hex]);
    assert.equal(first.exitCode, 0, first.stderr);
    const served = server.requests.length;
    const second = await vmtui(['create', 'web2', '--image', url]);
    assert.equal(second.exitCode, 0, second.stderr);
    assert.equal(server.requests.length, served, 'the second VM came from the cache, without a request');
    const cached = join(s.home.home, 'cache', 'images', 'debian-test.qcow2');
    assert.equal(sha256(cached), hex);
    assert.equal(sha256(disk('web1')), sha256(raw));
    assert.equal(sha256(disk('web2')), sha256(raw));
  } finally {
    await server.close();
  }
});

test('cancelling vm/create during a download answers cancelled, makes no VM and keeps the partial file', async () => {
  const bytes = Buffer.alloc(16 * MiB);
  for (let i = 0; i < bytes.length; i += 64) createHash('sha512').update(String(i)).digest().copy(bytes, i);
  const server = await new RangeServer(bytes, { rateBytesPerSecond: 2 * MiB, chunkBytes: 64 * 1024 }).start();
  const seen: ImageProgressParams[] = [];
  const listening = s.client.on(imageProgressNotification, (p) => seen.push(p));
  try {
    const abort = new AbortController();
    const created = s.client.request(vmCreateRequest, { name: 'stopped', image: server.url('/images/slow.raw') }, { signal: abort.signal });
    const deadline = Date.now() + 60_000;
    while (!seen.some((p) => p.name === 'stopped' && p.phase === 'downloading' && p.doneBytes > 0)) {
      assert.ok(Date.now() < deadline, `no download progress: ${JSON.stringify(seen)}`);
      await new Promise((done) => setTimeout(done, 50));
    }
    abort.abort();
    await assert.rejects(created, (error: unknown) => error instanceof HelperRequestError && error.data?.kind === 'cancelled');
    assert.equal(existsSync(join(s.home.home, 'vms', 'stopped')), false, 'no VM was made');
    const partial = join(s.home.home, 'cache', 'images', 'slow.raw.partial');
    assert.ok(existsSync(partial) && statSync(partial).size > 0 && statSync(partial).size < bytes.length, 'the partial download is kept');
  } finally {
    listening.dispose();
    await server.close();
  }
});

const debianDir = process.env.VMTUI_TEST_DEBIAN_DIR;
const debian = debianDir ? join(debianDir, 'debian.raw') : undefined;

test('a VM made from the Debian image as qcow2 boots its own kernel through UEFI', { skip: debian && existsSync(debian) ? false : 'VMTUI_TEST_DEBIAN_DIR has no debian.raw (scripts/guest/build-debian-image.sh makes it)' }, async () => {
  const qcow2 = join(s.home.home, 'debian.qcow2');
  qemuImg(['convert', '-f', 'raw', '-O', 'qcow2', debian!, qcow2]);
  const created = await vmtui(['create', 'deb', '--image', qcow2, '--memory', '1G', '--cpus', '2']);
  assert.equal(created.exitCode, 0, created.stderr);
  assert.equal(sha256(disk('deb')), sha256(debian!), 'disk.img holds the Debian image');
  await s.client.startVm('deb');
  const console = await ConsoleWatch.attach(s.client, 'deb', false);
  try {
    // The guest's own kernel and systemd (not a kernel from the host): under TCG a few minutes at most.
    const deadline = Date.now() + 600_000;
    while (!/systemd\[1\]|Welcome to Debian|login:/.test(console.text)) {
      assert.ok(Date.now() < deadline, `no systemd line or login prompt on the console; it ends: ${JSON.stringify(console.text.slice(-600))}`);
      await new Promise((done) => setTimeout(done, 250));
    }
  } finally {
    console.dispose();
    await s.client.stopVm({ name: 'deb', force: true });
  }
});
