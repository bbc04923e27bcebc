// Start-to-boot-marker of the tiny guest from its UEFI ISO (OVMF, GRUB, then the kernel) beside the
// same guest booted from its kernel directly, alternating in the same run: what UEFI and GRUB cost.
// Run: node dist/scripts/bench/iso-boot.js [runs]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelperClient } from '../../src/rpc/client.js';
import { guestParams, tinyIso } from '../../test/e2e/vm-support.js';
import { ratio, report } from './stats.js';

const runs = Number(process.argv[2] ?? 5);
const MARKER = 'VMTUI-GUEST-BOOTED';

const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const client = await HelperClient.start({ env: { ...process.env, VMTUI_HOME: home } });
await client.initialize();
await client.createVm(guestParams('kernel'));
await client.createVm(guestParams('iso', { boot: { kind: 'efi', iso: tinyIso() } }));

async function bootOnce(name: string): Promise<number> {
  let text = '';
  const seen = new Promise<void>((done) => {
    const sub = client.onConsoleData((p) => {
      if (p.name !== name) return;
      text += p.data;
      if (text.includes(MARKER)) { sub.dispose(); done(); }
    });
  });
  const t = performance.now();
  await client.startVm(name);
  await client.consoleAttach(name);
  await seen;
  const elapsed = performance.now() - t;
  await client.stopVm({ name, force: true });
  return elapsed;
}

const kernel: number[] = [];
const iso: number[] = [];
for (let i = 0; i < runs; i++) {
  kernel.push(await bootOnce('kernel'));
  iso.push(await bootOnce('iso'));
}
await client.shutdown();
rmSync(home, { recursive: true, force: true });

console.log(`tiny guest, vm/start to "${MARKER}" on the console`);
const k = report('direct kernel boot (baseline)', kernel);
const u = report('UEFI ISO boot (OVMF + GRUB + kernel)', iso);
ratio('ratio ISO / kernel (p50)', u.p50, k.p50);
