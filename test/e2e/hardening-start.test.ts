// Checks before start (a missing disk, a full file system) say what is wrong in one sentence and
// leave nothing stale; serve answers a bare-LF frame header at once; and a short run of the
// framing fuzzer (scripts/fuzz.sh runs the long one). Real helper; no guest boots here.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HelperClient } from '../../src/rpc/client.js';
import { locateHelper } from '../../src/rpc/helperProcess.js';
import { guestParams, killHosts, vmSession } from './vm-support.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const HANG_CEILING_MS = 10_000;

test('a deleted disk: start says which file is missing, and leaves no socket or error behind', async () => {
  const s = await vmSession();
  try {
    await s.client.createVm(guestParams('nodisk'));
    const dir = join(s.home.home, 'vms', 'nodisk');
    unlinkSync(join(dir, 'disk.img'));
    await assert.rejects(s.client.startVm('nodisk'), (e: Error & { data?: { kind?: string; path?: string } }) => {
      assert.equal(e.data?.kind, 'notFound');
      assert.equal(e.data?.path, join(dir, 'disk.img'));
      assert.match(e.message, /^The disk file \/.*disk\.img does not exist/);
      assert.doesNotMatch(e.message, /qemu/i, 'the sentence is vmtui\'s own, not QEMU\'s text');
      return true;
    });
    for (const file of ['qmp.sock', 'control.sock']) assert.equal(existsSync(join(dir, file)), false, `${file} is not left behind`);
    const vm = await s.client.getVm('nodisk');
    assert.equal(vm.state, 'stopped', 'a refused start does not put the VM in error');
  } finally {
    await s.close();
  }
});

test('a full file system (a small tmpfs as VMTUI_HOME): start says the disk is full', async (t) => {
  const mount = mkdtempSync(join(tmpdir(), 'vmtui-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mount]);
  } catch (error) {
    rmSync(mount, { recursive: true, force: true });
    t.skip(`cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]}); this check needs root`);
    return;
  }
  const env = { ...process.env, VMTUI_HOME: mount };
  const client = await HelperClient.start({ env });
  try {
    await client.initialize();
    await client.createVm({ ...guestParams('full'), sparseOvercommit: true });
    // Fill what is left; the write stops at ENOSPC.
    try { execFileSync('dd', ['if=/dev/zero', `of=${join(mount, 'filler')}`, 'bs=1M', 'count=64'], { stdio: 'ignore' }); } catch { /* full */ }
    await assert.rejects(client.startVm('full'), (e: Error & { data?: { kind?: string } }) => {
      assert.equal(e.data?.kind, 'diskFull');
      assert.match(e.message, /is full; free some space/);
      return true;
    });
    const dir = join(mount, 'vms', 'full');
    for (const file of ['qmp.sock', 'control.sock']) assert.equal(existsSync(join(dir, file)), false, `${file} is not left behind`);
    unlinkSync(join(mount, 'filler'));
    assert.equal((await client.getVm('full')).state, 'stopped');
  } finally {
    killHosts(mount);
    await client.shutdown({ requestTimeoutMs: 2000, graceMs: 2000 }).catch(() => undefined);
    unmountEverywhere(mount);
    rmSync(mount, { recursive: true, force: true });
  }
});

/** The tmpfs, and the bind of it the Linux toolchain root made for the helper, deepest first. */
function unmountEverywhere(mount: string): void {
  const points = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '')
    .filter((p) => p === mount || p.endsWith(mount)).sort((a, b) => b.length - a.length);
  for (const p of points) try { execFileSync('umount', ['-l', p]); } catch { /* already gone */ }
}

test('serve answers a frame header that ends in bare LF with an error at once, and ends the session', async () => {
  const home = mkdtempSync(join(tmpdir(), 'vmtui-lf-'));
  try {
    const child = spawn(locateHelper(process.env), ['serve'], { env: { ...process.env, VMTUI_HOME: home }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d.toString(); });
    child.stderr.on('data', (d) => { err += d.toString(); });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    child.stdin.write('Content-Length: 52\n\n{"jsonrpc":"2.0","id":1,"method":"vm/list","params":{}}');
    // No end of input is sent: the answer must come because of the LF, not after 8 KiB or EOF.
    const timer = setTimeout(() => child.kill('SIGKILL'), HANG_CEILING_MS);
    const code = await exited;
    clearTimeout(timer);
    assert.match(out, /"code":-32700/);
    assert.match(out, /bare LF; header lines must end in CRLF/);
    assert.match(err, /bare LF/);
    assert.equal(code, 1, 'a broken stream ends the session with status 1');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('the framing fuzzer: 3,000 frames per target, no crash, no hang, bounded memory', () => {
  const out = execFileSync('bash', [join(repo, 'scripts/fuzz.sh'), '--seed', '5', '--count', '3000'], { encoding: 'utf8' });
  for (const target of ['serve', 'host']) {
    assert.match(out, new RegExp(`fuzz ${target}: seed 5, frames 3000 .*crashes 0, hangs 0, .*\\(bounded\\)`));
  }
});
