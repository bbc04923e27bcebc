// Start-to-boot-marker of the tiny guest through vmtui (vm/start → per-VM host → qemu) beside the
// very same qemu command line run directly, in the same run. Run: node dist/scripts/bench/vm-boot.js [runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HelperClient } from '../../src/rpc/client.js';
import { guestParams } from '../../test/e2e/vm-support.js';
import { ratio, report } from './stats.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const runs = Number(process.argv[2] ?? 5);
const MARKER = 'VMTUI-GUEST-BOOTED';

const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const client = await HelperClient.start({ env: { ...process.env, VMTUI_HOME: home } });
await client.initialize();
await client.createVm(guestParams('bench'));
const bundle = join(home, 'vms', 'bench');

const viaVmtui: number[] = [];
for (let i = 0; i < runs; i++) {
  let text = '';
  const seen = new Promise<void>((done) => {
    const sub = client.onConsoleData((p) => {
      text += p.data;
      if (text.includes(MARKER)) { sub.dispose(); done(); }
    });
  });
  const t = performance.now();
  await client.startVm('bench');
  await client.consoleAttach('bench');
  await seen;
  viaVmtui.push(performance.now() - t);
  await client.stopVm({ name: 'bench', force: true });
}

// The argv the host logged, run directly with the serial console on stdio.
const logged = readFileSync(join(bundle, 'host.log'), 'utf8').split('\n').filter((l) => l.includes('starting qemu: ')).at(-1)!;
const argv = JSON.parse(logged.slice(logged.indexOf('starting qemu: ') + 'starting qemu: '.length)) as string[];
const direct: number[] = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  await new Promise<void>((done, fail) => {
    const child = spawn('bash', [join(repo, 'scripts/toolchain/in-root.sh'), ...argv], { cwd: bundle, stdio: ['pipe', 'pipe', 'ignore'] });
    let text = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error('direct qemu printed no boot marker in 120 s')); }, 120_000);
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes(MARKER)) { clearTimeout(timer); direct.push(performance.now() - t); child.kill('SIGKILL'); }
    });
    child.on('exit', () => done());
  });
}
await client.deleteVm('bench');
await client.shutdown();
rmSync(home, { recursive: true, force: true });

console.log(`tiny guest, start to "${MARKER}" on the console (${argv.includes('tcg') ? 'TCG' : 'KVM'})`);
const a = report('through vmtui (vm/start + console/attach)', viaVmtui);
const b = report('same qemu command line, run directly', direct);
ratio('ratio vmtui / direct (p50)', a.p50, b.p50);
