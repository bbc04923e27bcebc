// The fake helper (fakeHelper.ts) as a process on stdin/stdout, for benchmarks that run the `vmtui`
// users run with VMTUI_HELPER naming it. VMTUI_FAKE_VMS running VMs; when VMTUI_FAKE_TICKS names a
// file, the number of vm/stats ticks sent so far is written there on every tick.
import { writeFileSync } from 'node:fs';
import { fakeVms, serveFake } from './fakeHelper.js';

if (process.argv[2] === '--version') {
  process.stdout.write('vmtui-helper (fake, for benchmarks)\n');
  process.exit(0);
}
const ticksFile = process.env.VMTUI_FAKE_TICKS;
const fake = serveFake(fakeVms(Number(process.env.VMTUI_FAKE_VMS ?? 0)), process.stdin, process.stdout, () => process.exit(0));
if (ticksFile) {
  let last = 0;
  setInterval(() => {
    if (fake.ticks() !== last) writeFileSync(ticksFile, String((last = fake.ticks())));
  }, 200);
}
