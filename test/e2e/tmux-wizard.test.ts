// The install wizard in a real terminal with real keys: n, Linux, the tiny ISO's path, a name,
// small sizes, create, start; the VM boots from the ISO through UEFI and its console shows the
// guest's boot marker. The real helper, host and QEMU do the work.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempHome } from '../helpers/home.js';
import { withTuiPane } from '../helpers/tmuxPane.js';
import { waitFor } from '../helpers/wait.js';
import { killHosts, tinyIso } from './vm-support.js';

test('80×24: the wizard creates a VM from an ISO, starts it, and its console shows the boot marker', async () => {
  const iso = tinyIso();
  const home = await tempHome();
  try {
    await withTuiPane(home, { columns: 80, rows: 24 }, async (pane) => {
      await pane.waitFor('No VMs yet.');
      await pane.keys('n');
      let screen = await pane.waitFor('New VM · 1 of 6 · Guest system');
      assert.match(screen, /› Linux/);
      assert.match(screen, /macOS +\(unavailable\)/, 'a Linux host offers no macOS guests');
      await pane.keys('Enter');
      await pane.waitFor('› A disk or cloud image (path or URL)');
      await pane.keys('Down'); // the installer ISO is the second Linux source
      await pane.waitFor('› An installer ISO image (path)');
      await pane.type(iso.slice(0, -3)); // "…/tiny." and Tab for the rest
      await pane.keys('Tab');
      await pane.waitFor('tiny.iso█');
      await pane.keys('Enter');
      screen = await pane.waitFor('3 of 5 · Name');
      assert.match(screen, /> tiny█/, 'the name comes from the ISO');
      await pane.keys('Enter');
      await pane.waitFor('4 of 5 · CPUs, memory, disk');
      // 1 CPU, 256M, 64M: BSpace clears each prefilled value ("2", "2G", "16G").
      await pane.keys('BSpace');
      await pane.type('1');
      await pane.keys('Down', 'BSpace', 'BSpace');
      await pane.type('256M');
      await pane.keys('Down', 'BSpace', 'BSpace', 'BSpace');
      await pane.type('64M');
      await pane.keys('Enter');
      screen = await pane.waitFor('5 of 5 · Summary');
      assert.match(screen, /CPUs +1 of \d+ cores/);
      assert.match(screen, /Memory +256 MiB/);
      await pane.keys('Enter');
      await pane.waitFor("Created VM 'tiny'. Start it now");
      const config = JSON.parse(readFileSync(join(home.home, 'vms', 'tiny', 'config.json'), 'utf8'));
      assert.deepEqual(config.boot, { kind: 'efi', iso });
      assert.equal(config.cpuCount, 1);
      await pane.keys('y');
      await pane.waitFor('Console · tiny', 60_000);
      // OVMF, GRUB and the kernel under TCG: give the boot time.
      await pane.waitFor('VMTUI-GUEST-BOOTED', 300_000);
      await pane.keys('C-]');
      await pane.waitFor("Left the console of VM 'tiny'");
      await pane.keys('q');
      assert.equal(await waitFor(() => pane.status(), 'vmtui to exit', 15_000), 0);
    });
    const log = readFileSync(join(home.home, 'vms', 'tiny', 'host.log'), 'utf8');
    assert.match(log, /starting qemu: .*media=cdrom/, 'the guest booted with the ISO as its CD');
  } finally {
    killHosts(home.home);
    await home.remove();
  }
});
