// Shared folders and guest features with the real helper and QEMU (the tiny guest; the Debian
// guest's mounts are in vm-debian-access.test.ts, which boots Debian once): bad paths refused with a
// sentence, one virtiofsd per share started before qemu and ended with it, nested refused under TCG.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { cliPath } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { HelperClient } from '../../src/rpc/client.js';
import { tempHome } from '../helpers/home.js';
import { guestParams, killHosts, tinyGuest, vmSession, type VmSession } from './vm-support.js';

const run = promisify(execFile);
let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s?.close(); });

async function vmtui(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [cliPath, ...args], { env: s.home.env, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function kernelArgs(): string[] {
  const { kernel, initrd } = tinyGuest();
  return ['--kernel', kernel, '--initrd', initrd, '--memory', '256M', '--disk', '64M', '--cpus', '1'];
}

/** Command lines of the processes whose argv contains `word` (other workers' guests never match our temp paths). */
function processesWith(word: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv.includes(word)) found.push(argv.join(' '));
    } catch { /* gone */ }
  }
  return found;
}

test('a share that does not exist, or is a file, is refused with a sentence and no VM is made', async () => {
  const missing = join(s.home.home, 'no-such-folder');
  const r = await vmtui(['create', 'bad', ...kernelArgs(), '--share', missing]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, new RegExp(`The folder to share, ${missing}, does not exist; create it or give another folder\\.`));
  const file = join(s.home.home, 'a-file.txt');
  writeFileSync(file, 'x');
  const f = await vmtui(['create', 'bad', ...kernelArgs(), '--share', `${file}:f`]);
  assert.match(f.stderr, /a-file\.txt is a file, not a folder; share the folder that holds it instead\./);
  assert.equal(existsSync(join(s.home.home, 'vms', 'bad')), false);
});

test('nested virtualization is refused under TCG, at create and at configure', async (t) => {
  const host = await s.client.hostInfo();
  if (host.virtualization.accelerator !== 'tcg') {
    t.skip('this host runs guests with KVM; the TCG refusal cannot be seen here');
    return;
  }
  const sentence = 'Nested virtualization needs KVM with nesting on; this machine runs guests under TCG emulation.';
  const r = await vmtui(['create', 'nest', ...kernelArgs(), '--nested']);
  assert.notEqual(r.code, 0);
  assert.ok(r.stderr.includes(sentence), r.stderr);
  assert.equal(existsSync(join(s.home.home, 'vms', 'nest')), false);
  assert.equal((await vmtui(['create', 'nest', ...kernelArgs()])).code, 0);
  const c = await vmtui(['configure', 'nest', '--nested']);
  assert.ok(c.stderr.includes(sentence), c.stderr);
  assert.equal((await s.client.getVm('nest')).nestedVirtualization, undefined, 'the config is unchanged');
  const rosetta = await vmtui(['configure', 'nest', '--rosetta']);
  assert.match(rosetta.stderr, /Rosetta is only on Apple silicon Macs/);
});

test('shares: one virtiofsd each, started with the guest (read-only ones with --readonly) and ended with it', async () => {
  const rw = join(s.home.home, 'share-rw');
  const ro = join(s.home.home, 'share-ro');
  mkdirSync(rw);
  mkdirSync(ro);
  const created = await s.client.createVm(guestParams('sh', { shares: [{ path: rw }, { path: ro, tag: 'docs', readOnly: true }] }));
  assert.deepStrictEqual(created.shares, [{ tag: 'share-rw', path: rw, readOnly: false }, { tag: 'docs', path: ro, readOnly: true }]);
  const shown = await vmtui(['get', 'sh']);
  assert.match(shown.stdout, new RegExp(`^Shares +share-rw → ${rw}\\n +docs → ${ro} \\(read-only\\)$`, 'm'));

  const vm = await s.client.startVm('sh');
  const transport = vm.sharing?.transport;
  assert.ok(transport === 'virtiofs' || transport === '9p', JSON.stringify(vm.sharing));
  const qemu = readFileSync(`/proc/${vm.vmPid}/cmdline`, 'utf8').split('\0');
  if (transport === '9p') {
    assert.match(vm.sharing?.note ?? '', /virtiofsd is not installed/);
    assert.ok(qemu.includes('virtio-9p-pci,fsdev=fs1,mount_tag=docs'), qemu.join(' '));
  } else {
    assert.ok(qemu.includes('vhost-user-fs-pci,chardev=vfs0,tag=share-rw'), qemu.join(' '));
    assert.ok(qemu.includes('memory-backend-memfd,id=mem0,size=256M,share=on'), qemu.join(' '));
    // (Each socket is gone once qemu has connected: virtiofsd removes it.)
    const [rwDaemon] = processesWith(rw);
    const [roDaemon] = processesWith(ro);
    assert.ok(rwDaemon && !rwDaemon.includes('--readonly'), String(rwDaemon));
    assert.ok(roDaemon?.includes('--readonly'), String(roDaemon));
  }
  await s.client.stopVm({ name: 'sh', force: true });
  await waitFor(() => processesWith(rw).length === 0 && processesWith(ro).length === 0, 'virtiofsd to end with the guest', 30_000, 100);

  // Removed by tag; an unknown tag names the ones there are.
  assert.match((await vmtui(['configure', 'sh', '--unshare', 'nope'])).stderr, /VM 'sh' has no share with the tag 'nope'; its shares are share-rw, docs\./);
  const after = await s.client.configureVm({ name: 'sh', removeShares: ['docs'] });
  assert.deepStrictEqual(after.shares?.map((x) => x.tag), ['share-rw']);
  // A folder removed since it was shared is said at start, with what to do.
  rmSync(rw, { recursive: true });
  const start = await vmtui(['start', 'sh']);
  assert.notEqual(start.code, 0);
  assert.match(start.stderr, new RegExp(`The shared folder ${rw} \\(tag 'share-rw'\\) of VM 'sh' is no longer there; create it again, or remove the share with 'vmtui configure sh --unshare share-rw'\\.`));
});

test('without virtiofsd (VMTUI_VIRTIOFSD=none) the shares go through 9p, read-only on the host, and vm/start says so', async () => {
  const home = await tempHome();
  const client = await HelperClient.start({ env: { ...home.env, VMTUI_VIRTIOFSD: 'none' } });
  try {
    await client.initialize();
    const dir = join(home.home, 'nine');
    mkdirSync(dir);
    await client.createVm(guestParams('nine', { shares: [{ path: dir, readOnly: true }] }));
    const vm = await client.startVm('nine');
    assert.equal(vm.sharing?.transport, '9p');
    assert.match(vm.sharing?.note ?? '', /^Shared folders go through 9p, because virtiofsd is not installed/);
    const qemu = readFileSync(`/proc/${vm.vmPid}/cmdline`, 'utf8').split('\0');
    assert.ok(qemu.includes(`local,id=fs0,path=${dir},security_model=none,readonly=on`), qemu.join(' '));
    assert.ok(qemu.includes('virtio-9p-pci,fsdev=fs0,mount_tag=nine'), qemu.join(' '));
    assert.ok(!qemu.some((a) => a.startsWith('memory-backend-memfd')), '9p needs no shared memory');
    await client.stopVm({ name: 'nine', force: true });
  } finally {
    killHosts(home.home);
    await client.shutdown({ requestTimeoutMs: 2000, graceMs: 2000 }).catch(() => undefined);
    await home.remove();
  }
});
