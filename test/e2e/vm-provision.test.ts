// Provisioning end to end with the Debian test image (VMTUI_TEST_DEBIAN_DIR): `vmtui create --image
// --user --ssh-key --user-data` makes a seed with no private key on it; the guest's cloud-init sets
// the hostname to the VM's name, installs the key (an SSH login through the forward works) and runs
// the user's user-data; a clone boots with its own name, machine-id and SSH host key.
// One guest boot at a time (TCG is slow): the source, then the clone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { execa } from 'execa';
import { cliPath } from '../helpers/process.js';
import { ConsoleWatch, qemuThreads, vmSession, type VmSession } from './vm-support.js';

const debianDir = process.env.VMTUI_TEST_DEBIAN_DIR;
const debian = debianDir ? join(debianDir, 'debian.raw') : undefined;
const skip = debian && existsSync(debian) ? false : 'VMTUI_TEST_DEBIAN_DIR has no debian.raw (scripts/guest/build-debian-image.sh makes it)';
/** A Debian boot to cloud-init's end under TCG on a loaded machine: minutes; this only catches hangs. */
const BOOT_MS = 900_000;

let s: VmSession;
before(async () => { if (!skip) s = await vmSession(); });
after(async () => { if (!skip) await s.close(); });

async function vmtui(args: string[]) {
  return execa(process.execPath, [cliPath, ...args], { reject: false, env: s.home.env, stdin: 'ignore' });
}

/** Runs a command in the guest over SSH through the VM's forward, with the throwaway key. */
async function sshRun(name: string, key: string, command: string): Promise<string> {
  const vm = await s.client.getVm(name);
  assert.ok(vm.sshAddress, `VM '${name}' has no SSH forward`);
  const port = vm.sshAddress!.split(':').pop()!;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await execa('ssh', ['-i', key, '-p', port, '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no',
      '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=20', 'tester@127.0.0.1', command],
      { reject: false, stdin: 'ignore', timeout: 60_000 });
    if (r.exitCode === 0) return r.stdout;
    // sshd may come up a moment after cloud-init's last line; anything else is a failure.
    if (Date.now() > deadline) assert.fail(`ssh to VM '${name}' failed (${r.exitCode}): ${r.stderr}`);
    await new Promise((done) => setTimeout(done, 2000));
  }
}

/** Starts a VM and waits for cloud-init's final line (and `also`) on its console. */
async function bootToCloudInit(name: string, also: string[] = []): Promise<string> {
  await s.client.startVm(name);
  const console = await ConsoleWatch.attach(s.client, name, false);
  try {
    await console.line('Cloud-init v.', BOOT_MS);
    const deadline = Date.now() + BOOT_MS;
    while (!/Cloud-init v\. \S+ finished at/.test(console.text)) {
      assert.ok(Date.now() < deadline, `cloud-init did not finish in VM '${name}'; its console ends: ${JSON.stringify(console.text.slice(-800))}; ${qemuThreads(name)}`);
      await new Promise((done) => setTimeout(done, 500));
    }
    for (const needle of also) await console.line(needle, 60_000);
    return console.text;
  } finally {
    console.dispose();
  }
}

test('a seeded Debian VM gets its name, the key and the user-data; a clone gets a new identity', { skip, timeout: 3 * BOOT_MS }, async () => {
  const key = join(s.home.home, 'key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'vmtui-test', '-f', key]);
  const userData = join(s.home.home, 'user-data');
  writeFileSync(userData, '#cloud-config\nruncmd:\n  - echo VMTUI-USER-DATA-RAN > /dev/ttyS0\n');
  const created = await vmtui(['create', 'prov', '--image', debian!, '--memory', '1G', '--cpus', '2',
    '--user', 'tester', '--ssh-key', `${key}.pub`, '--user-data', userData]);
  assert.equal(created.exitCode, 0, created.stderr);

  const seed = readFileSync(join(s.home.home, 'vms', 'prov', 'seed.img')).toString('latin1');
  assert.ok(seed.includes(readFileSync(`${key}.pub`, 'utf8').trim()), 'the public key is on the seed');
  assert.ok(seed.includes('VMTUI-USER-DATA-RAN'), 'the user-data is on the seed');
  assert.ok(!seed.includes('PRIVATE KEY'), 'no private key on the seed');

  try {
    await bootToCloudInit('prov', ['VMTUI-USER-DATA-RAN']);
    const [hostname, machineId, hostKey] = (await sshRun('prov', key,
      'cat /etc/hostname /etc/machine-id /etc/ssh/ssh_host_ed25519_key.pub && sudo -n true && sync')).trim().split('\n');
    assert.equal(hostname, 'prov');
    assert.match(machineId!, /^[0-9a-f]{32}$/);
    assert.match(hostKey!, /^ssh-ed25519 /);
    await s.client.stopVm({ name: 'prov', force: true });

    const cloned = await vmtui(['clone', 'prov', 'prov2']);
    assert.equal(cloned.exitCode, 0, cloned.stderr);
    // A new instance: cloud-init runs its per-instance steps (and the user-data) again.
    await bootToCloudInit('prov2', ['VMTUI-USER-DATA-RAN']);
    const [hostname2, machineId2, hostKey2] = (await sshRun('prov2', key,
      'cat /etc/hostname /etc/machine-id /etc/ssh/ssh_host_ed25519_key.pub')).trim().split('\n');
    assert.equal(hostname2, 'prov2');
    assert.match(machineId2!, /^[0-9a-f]{32}$/);
    assert.notEqual(machineId2, machineId, 'the clone has its own machine-id');
    assert.notEqual(hostKey2, hostKey, 'the clone has its own SSH host key');
    const vms = await s.client.listVms();
    const macs = vms.vms.filter((v) => v.name.startsWith('prov')).map((v) => v.macAddress);
    assert.equal(new Set(macs).size, 2, 'the clone has its own MAC address');
  } finally {
    for (const name of ['prov', 'prov2']) await s.client.stopVm({ name, force: true }).catch(() => undefined);
  }
});
