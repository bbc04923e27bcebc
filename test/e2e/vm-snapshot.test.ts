// Snapshot by clone end to end: a marker written inside the guest survives a snapshot, a change,
// and a restore; a clone boots beside its source with its own MAC.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ConsoleWatch, guestParams, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

/** Boots the VM, runs `setmarker` when asked, and returns the marker it printed at boot. */
async function bootAndMark(name: string, newMarker?: string): Promise<string> {
  await s.client.startVm(name);
  const console = await ConsoleWatch.attach(s.client, name, false);
  try {
    await console.line('VMTUI-GUEST-BOOTED');
    await console.line('VMTUI-DISK-MARKER:');
    const seen = /VMTUI-DISK-MARKER: ?([^\r\n]*)/.exec(console.text)?.[1] ?? '';
    if (newMarker) {
      await console.ready();
      await s.client.consoleWrite(name, `setmarker ${newMarker}\r`);
      await console.line(`VMTUI-MARKER-WRITTEN: ${newMarker}`);
    }
    await s.client.stopVm({ name, timeoutMs: 60_000 });
    return seen.trim();
  } finally {
    console.dispose();
  }
}

test('a snapshot keeps the disk as it was; restore brings the original marker back', async () => {
  await s.client.createVm(guestParams('snap'));
  assert.equal(await bootAndMark('snap', 'original'), '');
  const snap = await s.client.createSnapshot({ vm: 'snap', name: 'before', note: 'marker is original' });
  assert.equal(snap.parent, null);
  assert.equal(await bootAndMark('snap', 'changed'), 'original');

  const before = await s.client.getVm('snap');
  const restored = await s.client.restoreSnapshot('snap', 'before');
  assert.equal(restored.current, 'before');
  assert.equal(restored.vm.macAddress, before.macAddress, 'identity is kept so the VM boots as itself');
  assert.equal(await bootAndMark('snap'), 'original');

  const list = await s.client.listSnapshots('snap');
  assert.deepEqual(list.snapshots.map((x) => x.name), ['before']);
  assert.equal(list.current, 'before');
});

test('a clone gets a new MAC and boots with the source disk content', async () => {
  const cloned = await s.client.cloneVm('snap', 'twin');
  const source = await s.client.getVm('snap');
  assert.notEqual(cloned.vm.macAddress, source.macAddress);
  assert.equal(cloned.pausedForClone, false);
  assert.equal(await bootAndMark('twin'), 'original');
});
