// Guest access with the real Debian image (systemd, openssh-server, cloud-init): one booted guest
// for the file. `start --wait ssh` and the banner need no key; logging in needs the key the
// provisioning seed injects (VMInfo.ssh.user is set then) — those checks say so when it is absent.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { VMInfo } from '../../src/rpc/protocol.js';
import { cliPath } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { bannerAnswers, debianImage, debianVm } from './debian-support.js';
import { vmSession, type VmSession } from './vm-support.js';

const run = promisify(execFile);
const image = debianImage();
const BOOT_MS = 600_000;
let s: VmSession;
let vm: VMInfo;

async function vmtui(args: string[], timeoutMs = BOOT_MS): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [cliPath, ...args], { env: s.home.env, timeout: timeoutMs });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

// Two shared folders, mounted by cloud-init at /mnt/TAG (the last test): open modes, so only the
// read-only share itself can refuse a write.
let rwShare = '';
let roShare = '';

before(async () => {
  if (!image.path) return;
  s = await vmSession();
  rwShare = join(s.home.home, 'rw');
  roShare = join(s.home.home, 'ro');
  for (const dir of [rwShare, roShare]) {
    mkdirSync(dir);
    chmodSync(dir, 0o777);
  }
  writeFileSync(join(rwShare, 'from-host.txt'), 'hello from the host\n');
  writeFileSync(join(roShare, 'kept.txt'), 'read only\n');
  vm = await debianVm(s.client, s.home.home, 'deb', image.path, {
    shares: [{ path: rwShare, tag: 'rw' }, { path: roShare, tag: 'ro', readOnly: true }],
  });
});

after(async () => { await s?.close(); });

test('start --wait ssh returns once the guest\'s sshd sends its banner through the kept port', { skip: image.why }, async () => {
  const r = await vmtui(['start', 'deb', '--wait', 'ssh', '--timeout', String(BOOT_MS / 1000)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Its SSH server answers on 127\\.0\\.0\\.1:${vm.ssh!.port}: connect with 'vmtui ssh deb'`));
  assert.equal(await bannerAnswers(vm.ssh!.port), true, 'the banner answers when vmtui says so');
  assert.equal((await s.client.getVm('deb')).ssh?.ready, true);
  const config = await vmtui(['ssh-config', 'deb']);
  assert.match(config.stdout, new RegExp(`^Host vmtui-deb\\n  HostName 127\\.0\\.0\\.1\\n  Port ${vm.ssh!.port}\\n`, 'm'));
});

test('vmtui ssh runs a command in the guest and passes its exit status through', { skip: image.why }, async (t) => {
  const info = await s.client.getVm('deb');
  if (!info.ssh?.user) {
    t.skip('no provisioning seed on this branch yet (VMInfo.ssh.user is unset): the guest has no account with a key');
    return;
  }
  const hostname = await vmtui(['ssh', 'deb', '--', 'cat', '/etc/hostname'], 120_000);
  assert.equal(hostname.code, 0, hostname.stderr);
  assert.equal(hostname.stdout.trim(), 'deb');
  assert.equal((await vmtui(['ssh', 'deb', '--', 'false'], 120_000)).code, 1);
  // A forward to a port the guest serves, added while it runs.
  const port = 18000 + (process.pid % 1000);
  assert.equal((await vmtui(['configure', 'deb', '--forward', `${port}:8000`])).code, 0);
  await vmtui(['ssh', 'deb', '--', 'sh', '-c', "'cd /etc && nohup python3 -m http.server 8000 >/dev/null 2>&1 &'"], 120_000);
  await waitFor(async () => {
    const r = await fetch(`http://127.0.0.1:${port}/hostname`).catch(() => undefined);
    return r?.ok && (await r.text()).trim() === 'deb';
  }, 'the guest web server through the forward', 60_000, 500);
  // A reboot inside the guest: the same host, SSH back on the same port.
  await vmtui(['ssh', 'deb', '--', 'sudo', 'systemctl', 'reboot'], 60_000);
  await waitFor(async () => (await s.client.getVm('deb')).ssh?.ready === false, 'SSH not ready after the reboot', 120_000, 250);
  const back = await waitFor(async () => { const v = await s.client.getVm('deb'); return v.ssh?.ready && v; }, 'SSH back after the reboot', BOOT_MS, 500);
  assert.equal(back.ssh?.port, vm.ssh!.port);
  assert.equal(back.hostPid, info.hostPid);
});

test('shares are mounted at /mnt/TAG at every boot: a host file shows, a guest write reaches the host, the read-only share refuses writes', { skip: image.why }, async () => {
  // After the reboot above: the mounts come from cloud-init's bootcmd, which runs at every boot.
  const shown = await vmtui(['ssh', 'deb', '--', 'cat', '/mnt/rw/from-host.txt'], 120_000);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(shown.stdout, 'hello from the host\n');
  const wrote = await vmtui(['ssh', 'deb', '--', 'sh', '-c', "'echo from the guest > /mnt/rw/from-guest.txt'"], 120_000);
  assert.equal(wrote.code, 0, wrote.stderr);
  assert.equal(readFileSync(join(rwShare, 'from-guest.txt'), 'utf8'), 'from the guest\n');
  assert.equal((await vmtui(['ssh', 'deb', '--', 'cat', '/mnt/ro/kept.txt'], 120_000)).stdout, 'read only\n');
  // As root in the guest, so nothing but the share's read-only mode can refuse it.
  const refused = await vmtui(['ssh', 'deb', '--', 'sudo', 'touch', '/mnt/ro/new.txt'], 120_000);
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /Read-only file system|Permission denied/);
  const info = await s.client.getVm('deb');
  assert.equal(info.sharing?.transport, 'virtiofs', 'the toolchain root installs virtiofsd');
});

test('configure --disk on the provisioned guest: its root file system fills the grown disk at the next boot', { skip: image.why }, async (t) => {
  if (!(await s.client.getVm('deb')).ssh?.user) {
    t.skip('no provisioning seed: no account to read the guest\'s file system size with');
    return;
  }
  const rootBytes = async () => {
    const r = await vmtui(['ssh', 'deb', '--', 'df', '-B1', '--output=size', '/'], 120_000);
    assert.equal(r.code, 0, r.stderr);
    return Number(r.stdout.trim().split('\n').pop());
  };
  if ((await s.client.getVm('deb')).state !== 'running') {
    assert.equal((await vmtui(['start', 'deb', '--wait', 'ssh', '--timeout', String(BOOT_MS / 1000)])).code, 0);
  }
  const before = await rootBytes();
  assert.equal((await vmtui(['stop', 'deb'])).code, 0);
  const grownTo = (await s.client.getVm('deb')).diskBytes + 1024 ** 3;
  const grown = await vmtui(['configure', 'deb', '--disk', `${grownTo}B`, '--sparse']);
  assert.equal(grown.code, 0, grown.stderr);
  const started = await vmtui(['start', 'deb', '--wait', 'ssh', '--timeout', String(BOOT_MS / 1000)]);
  assert.equal(started.code, 0, started.stderr);
  // growpart and resizefs run early in cloud-init's first stage, before sshd answers.
  const after = await rootBytes();
  assert.ok(after >= before + 900 * 1024 ** 2, `the root file system grew by about 1 GiB: ${before} → ${after} bytes`);
});
