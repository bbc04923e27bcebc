// The wizard's disk image path in a real terminal with real keys, against the real helper: n, Linux,
// a 64 MiB sparse raw image's path (Tab completes it), the name from the file, a user typed over the
// default and a real public key, a disk grown to 128M, create. The VM need not boot into anything:
// `vmtui get --json`, config.json and the seed the helper wrote show what the wizard asked for.
// Then the third Linux source: the tiny guest's kernel and initrd, booted to its marker.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, ftruncateSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { defaultGuestUser } from '../../src/ui/wizardModel.js';
import { tempHome } from '../helpers/home.js';
import { cliPath } from '../helpers/process.js';
import { withTuiPane } from '../helpers/tmuxPane.js';
import { waitFor } from '../helpers/wait.js';
import { killHosts, tinyGuest } from './vm-support.js';

const MiB = 1024 ** 2;

test('80×24: the wizard creates a VM from a raw disk image with the user and key typed, and a grown disk', async () => {
  const home = await tempHome();
  try {
    const image = join(home.home, 'cloud.raw');
    const fd = openSync(image, 'w');
    ftruncateSync(fd, 64 * MiB); // sparse: a raw image is any file of whole sectors
    closeSync(fd);
    const key = join(home.home, 'wizard-key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'vmtui-wizard-test', '-f', key]);

    await withTuiPane(home, { columns: 80, rows: 24 }, async (pane) => {
      await pane.waitFor('No VMs yet.');
      await pane.keys('n');
      let screen = await pane.waitFor('New VM · 1 of 6 · Guest system');
      assert.match(screen, /› Linux +from a disk or cloud image/);
      await pane.keys('Enter');
      screen = await pane.waitFor('2 of 6 · Source');
      assert.match(screen, /› A disk or cloud image \(path or URL\)/);
      await pane.type(image.slice(0, -3)); // "…/cloud." and Tab for the rest
      await pane.keys('Tab');
      await pane.waitFor('cloud.raw█');
      await pane.keys('Enter');
      screen = await pane.waitFor('3 of 6 · Name');
      assert.match(screen, /> cloud█/, 'the name comes from the image file');
      await pane.keys('Enter');
      screen = await pane.waitFor('4 of 6 · User and SSH keys');
      // The TUI runs as this test's user: its name is the default, as the helper would choose it.
      const fallback = defaultGuestUser(userInfo().username);
      assert.match(screen, new RegExp(`> ${fallback}█`));
      assert.match(screen, /Empty: every ~\/\.ssh\/\*\.pub of your user/);
      await pane.keys(...Array.from({ length: fallback.length }, () => 'BSpace'));
      await pane.type('tester');
      await pane.keys('Tab');
      await pane.type(`${key}.pub`);
      await pane.keys('Enter');
      screen = await pane.waitFor('5 of 6 · CPUs, memory, disk');
      assert.match(screen, /Disk +█? *empty: the image's size/);
      // 1 CPU, 256M, and the disk grown from the image's 64M to 128M.
      await pane.keys('BSpace');
      await pane.type('1');
      await pane.keys('Down', 'BSpace', 'BSpace');
      await pane.type('256M');
      await pane.keys('Down');
      await pane.type('128M');
      await pane.keys('Enter');
      screen = await pane.waitFor('6 of 6 · Summary');
      assert.match(screen, /User +tester \(SSH keys, passwordless sudo\)/);
      assert.match(screen, /Disk +128 MiB, sparse/);
      await pane.keys('Enter');
      await pane.waitFor("Created VM 'cloud'. Start it now", 120_000);
      await pane.keys('n');
      await pane.waitFor("Created VM 'cloud'; start it with s, then log in with 'vmtui ssh cloud'.");
      await pane.keys('q');
      assert.equal(await waitFor(() => pane.status(), 'vmtui to exit', 15_000), 0);
    });

    const got = await execa(process.execPath, [cliPath, 'get', 'cloud', '--json'], { env: home.env, reject: false, stdin: 'ignore' });
    assert.equal(got.exitCode, 0, got.stderr);
    const vm = JSON.parse(got.stdout);
    assert.equal(vm.diskBytes, 128 * MiB);
    assert.equal(vm.cpuCount, 1);
    assert.equal(vm.memoryBytes, 256 * MiB);
    assert.deepEqual(vm.boot, { kind: 'efi' }, 'an image boots EFI from its own disk, no ISO');
    const config = JSON.parse(readFileSync(join(home.home, 'vms', 'cloud', 'config.json'), 'utf8'));
    assert.equal(config.provision.user, 'tester');
    assert.deepEqual(config.provision.sshKeyFiles, [`${key}.pub`]);
    const seed = readFileSync(join(home.home, 'vms', 'cloud', 'seed.img')).toString('latin1');
    assert.ok(seed.includes(readFileSync(`${key}.pub`, 'utf8').trim()), 'the typed public key is on the seed');
    assert.ok(seed.includes('tester'), 'the typed user is on the seed');
  } finally {
    killHosts(home.home);
    await home.remove();
  }
});

test('80×24: the wizard creates a VM from a kernel and initrd typed with Tab, starts it, and its console shows the boot marker', async () => {
  const { kernel, initrd } = tinyGuest();
  const home = await tempHome();
  try {
    await withTuiPane(home, { columns: 80, rows: 24 }, async (pane) => {
      await pane.waitFor('No VMs yet.');
      await pane.keys('n');
      await pane.waitFor('New VM · 1 of 6 · Guest system');
      await pane.keys('Enter');
      await pane.waitFor('› A disk or cloud image (path or URL)');
      await pane.keys('Down', 'Down');
      await pane.waitFor('› A kernel, and an initrd after a comma (paths)');
      await pane.type(kernel.slice(0, -3));
      await pane.keys('Tab');
      await pane.type(`,${initrd.slice(0, -4)}`);
      await pane.keys('Tab');
      await pane.waitFor('initrd.gz█');
      await pane.keys('Enter');
      let screen = await pane.waitFor('3 of 5 · Name');
      assert.match(screen, /> vmlinuz█/, 'the name comes from the kernel file');
      await pane.keys('Enter');
      await pane.waitFor('4 of 5 · CPUs, memory, disk');
      await pane.keys('BSpace');
      await pane.type('1');
      await pane.keys('Down', 'BSpace', 'BSpace');
      await pane.type('256M');
      await pane.keys('Down', 'BSpace', 'BSpace', 'BSpace');
      await pane.type('64M');
      await pane.keys('Enter');
      screen = await pane.waitFor('5 of 5 · Summary');
      assert.match(screen, /Guest +Linux, direct kernel boot \(console=ttyS0\)/);
      await pane.keys('Enter');
      await pane.waitFor("Created VM 'vmlinuz'. Start it now", 60_000);
      const config = JSON.parse(readFileSync(join(home.home, 'vms', 'vmlinuz', 'config.json'), 'utf8'));
      assert.deepEqual(config.boot, { kind: 'kernel', kernel, initrd, cmdline: 'console=ttyS0' });
      await pane.keys('y');
      await pane.waitFor('Console · vmlinuz', 60_000);
      await pane.waitFor('VMTUI-GUEST-BOOTED', 300_000);
      await pane.keys('C-]');
      await pane.waitFor("Left the console of VM 'vmlinuz'");
      await pane.keys('q');
      assert.equal(await waitFor(() => pane.status(), 'vmtui to exit', 15_000), 0);
    });
  } finally {
    killHosts(home.home);
    await home.remove();
  }
});
