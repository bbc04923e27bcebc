// The terminal screen view's cost: a 1280×800 guest screen (the tiny ISO's GRUB menu) drawn into
// 160×50 half-block cells (160×100 pixels), frame after frame, beside grabbing the frame alone
// (vm/screenFrame at the same size, no cells), and grabbing the full-size PNG (vm/screenshot), in
// the same run on one booted guest. CPU per frame counts every process on the path: this client
// (decode + cells), the serve helper, the VM's host (screendump read + scaling) and qemu (the dump).
// Run: node dist/scripts/bench/screen.js [frames per mode (60)]
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { HelperClient } from '../../src/rpc/client.js';
import { vmScreenFrameRequest, vmScreenshotRequest } from '../../src/rpc/protocol.js';
import { frameToCells } from '../../src/screen/cells.js';
import { ConsoleWatch } from '../../test/e2e/vm-support.js';
import { ratio, report } from './stats.js';

const frames = Number(process.argv[2] ?? 60);
const repo = join(import.meta.dirname, '../../..');
const isoDir = process.env.VMTUI_TEST_ISO_DIR ?? join(tmpdir(), 'vmtui-test-iso');
execFileSync('bash', [join(repo, 'scripts/guest/build-tiny-iso.sh'), '--menu', isoDir], { stdio: ['ignore', 'ignore', 'inherit'] });

const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const client = await HelperClient.start({ env: { ...process.env, VMTUI_HOME: home } });
const ticks = 100; // USER_HZ on Linux
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}
const self = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

try {
  await client.initialize();
  await client.createVm({ name: 'b', cpuCount: 1, memoryBytes: 256 * 2 ** 20, diskBytes: 64 * 2 ** 20, boot: { kind: 'efi', iso: join(isoDir, 'menu.iso') }, display: { width: 1280, height: 800 } });
  const vm = await client.startVm('b');
  const watch = await ConsoleWatch.attach(client, 'b', false);
  await watch.line('second entry', 300_000);
  watch.dispose();
  const pids = [client.pid, vm.hostPid!, vm.vmPid!];
  const cpu = () => self() + pids.reduce((sum, p) => sum + cpuSeconds(p), 0);

  async function run(label: string, once: () => Promise<void>): Promise<{ fps: number; cpuMs: number; p50: number }> {
    for (let i = 0; i < 3; i++) await once(); // warm-up
    const times: number[] = [];
    const c0 = cpu(), t0 = performance.now();
    for (let i = 0; i < frames; i++) {
      const t = performance.now();
      await once();
      times.push(performance.now() - t);
    }
    const wall = (performance.now() - t0) / 1000, used = cpu() - c0;
    const { p50 } = report(label, times);
    const fps = frames / wall, cpuMs = (used / frames) * 1000;
    console.log(`${''.padEnd(44)} ${fps.toFixed(1)} frames/s, CPU ${cpuMs.toFixed(1)} ms/frame (all processes)`);
    return { fps, cpuMs, p50 };
  }

  const grab = await run('grab: vm/screenFrame 160×100 (no cells)', async () => {
    await client.request(vmScreenFrameRequest, { name: 'b', width: 160, height: 100 });
  });
  let out = 0;
  const view = await run('view: grab + half-block cells 160×50', async () => {
    const f = await client.request(vmScreenFrameRequest, { name: 'b', width: 160, height: 100 });
    const lines = frameToCells(Buffer.from(f.rgbBase64!, 'base64'), f.width, f.height, 160, 50, 'truecolor');
    out += lines.join('\n').length;
  });
  const png = await run('baseline: vm/screenshot 1280×800 PNG', async () => {
    await client.request(vmScreenshotRequest, { name: 'b' });
  });
  ratio('view / grab, time per frame (p50)', view.p50, grab.p50);
  ratio('view / grab, CPU per frame', view.cpuMs, grab.cpuMs);
  ratio('full-size PNG / grab, CPU per frame', png.cpuMs, grab.cpuMs);
  const at10 = (view.cpuMs * 10) / 10; // ms of CPU per second at 10 fps, as % of one core
  console.log(`${'view at 10 frames/s would use'.padEnd(44)} ${at10.toFixed(1)} % of one core (goal ≤ 25 %)`);
  console.log(`${'(cells written per frame)'.padEnd(44)} ${(out / (frames + 3) / 1024).toFixed(1)} KiB`);
  await client.stopVm({ name: 'b', force: true });
} finally {
  await client.shutdown().catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
}
