// A Linux install from an ISO end to end: UEFI firmware (OVMF/AAVMF) boots GRUB from the tiny
// ISO's cdrom, the guest's boot marker reaches the console; detaching the ISO removes the cdrom.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ConsoleWatch, tinyIso, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

/** Every qemu argv the VM's host logged (`starting qemu: [...]` in host.log), oldest first. */
function qemuCommandLines(vm: string): string[][] {
  const log = readFileSync(join(s.home.home, 'vms', vm, 'host.log'), 'utf8');
  return [...log.matchAll(/starting qemu: (\[.*\])$/gm)].map((m) => JSON.parse(m[1]!) as string[]);
}

async function bootToMarker(name: string): Promise<void> {
  await s.client.startVm(name);
  const console = await ConsoleWatch.attach(s.client, name, false);
  try {
    // OVMF and GRUB first, then the kernel: slower than a direct kernel boot under TCG.
    await console.line('VMTUI-GUEST-BOOTED', 300_000);
  } finally {
    console.dispose();
  }
}

test('a VM created from an ISO boots it through UEFI; detaching the ISO drops the cdrom', async () => {
  const iso = tinyIso();
  const created = await s.client.createVm({
    name: 'fromiso', cpuCount: 1, memoryBytes: 256 * 2 ** 20, diskBytes: 64 * 2 ** 20, boot: { kind: 'efi', iso },
  });
  assert.deepEqual(created.boot, { kind: 'efi', iso });
  const bundle = join(s.home.home, 'vms', 'fromiso');
  assert.ok(existsSync(join(bundle, 'efi-vars.fd')), 'vm/create gives the VM its own writable EFI variable store');

  await bootToMarker('fromiso');
  const first = qemuCommandLines('fromiso').at(-1)!;
  assert.ok(first.some((a) => a.includes('media=cdrom') && a.includes(iso)), `cdrom with the ISO in ${JSON.stringify(first)}`);
  assert.ok(first.some((a) => a.startsWith('if=pflash') && a.endsWith('file=efi-vars.fd')), 'the bundle\'s vars are the writable pflash');
  assert.equal((await s.client.stopVm({ name: 'fromiso', timeoutMs: 60_000 })).state, 'stopped');

  const detached = await s.client.configureVm({ name: 'fromiso', detachISO: true });
  assert.deepEqual(detached.boot, { kind: 'efi' });
  const config = JSON.parse(readFileSync(join(bundle, 'config.json'), 'utf8'));
  assert.equal(JSON.stringify(config).includes(iso), false, `config.json still names the ISO: ${JSON.stringify(config.boot)}`);

  await s.client.startVm('fromiso');
  const second = qemuCommandLines('fromiso').at(-1)!;
  assert.notDeepEqual(second, first);
  assert.equal(second.some((a) => a.includes('cdrom') || a.includes(iso)), false, `no cdrom in ${JSON.stringify(second)}`);
  assert.ok(second.some((a) => a.endsWith('file=efi-vars.fd')), 'the same variable store is kept');
  await s.client.stopVm({ name: 'fromiso', force: true });
});
