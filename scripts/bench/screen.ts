// The terminal screen view's cost, old frame path against new, in one run on one guest (the tiny
// ISO's GRUB menu at 1280×800). New: the per-VM host keeps the framebuffer as an RFB client of
// QEMU's VNC server and scales it when an update came. Old (the baseline, VMTUI_SCREEN_FRAMES=
// screendump in the host's environment): every frame is a QMP screendump to a PPM file read back.
// Each path: frames at 10 a second into 160×50 half-block cells (160×100 pixels) for a while, once
// on a still screen and once with a key pressed every frame (the menu selection moves), and the CPU
// per second of the processes on the path — the serve helper, the VM's host, qemu's threads other
// than its vCPUs (GRUB's menu loop keeps those busy under TCG whoever looks) and this client (decode
// + cells) — as % of one core, beside the same with no frames asked for; the path's cost is the
// difference (goal ≤ 25 %). Then full frames as fast as they come.
// Run: node dist/scripts/bench/screen.js [seconds per measurement (10)]
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { HelperClient } from '../../src/rpc/client.js';
import { vmScreenFrameRequest, vmSendKeysRequest } from '../../src/rpc/protocol.js';
import { frameToCells } from '../../src/screen/cells.js';
import { ConsoleWatch } from '../../test/e2e/vm-support.js';
import { ratio, report } from './stats.js';

const seconds = Number(process.argv[2] ?? 10);
const repo = join(import.meta.dirname, '../../..');
const isoDir = process.env.VMTUI_TEST_ISO_DIR ?? join(tmpdir(), 'vmtui-test-iso');
execFileSync('bash', [join(repo, 'scripts/guest/build-tiny-iso.sh'), '--menu', isoDir], { stdio: ['ignore', 'ignore', 'inherit'] });

const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const ticks = 100; // USER_HZ on Linux
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}
/** qemu without its vCPU threads ("CPU 0/TCG"): GRUB's menu loop keeps those busy whoever looks, and
 * a screendump holding the big lock slows them, which would hide the dump's own cost. */
function qemuDisplaySeconds(pid: number): number {
  let sum = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8');
    if (!comm.startsWith('CPU ')) sum += taskSeconds(pid, Number(tid));
  }
  return sum;
}
function taskSeconds(pid: number, tid: number): number {
  const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}
const self = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const tick = () => new Promise<void>((done) => setImmediate(done));

interface Result { idle: number; still: number; moving: number; fastFps: number; fastCpuMs: number }

/** Boots the guest under a helper whose VM host has `env`, measures, stops it. */
async function measure(label: string, env: NodeJS.ProcessEnv): Promise<Result> {
  const client = await HelperClient.start({ env: { ...process.env, ...env, VMTUI_HOME: home } });
  try {
    await client.initialize();
    const vm = await client.startVm('b');
    const watch = await ConsoleWatch.attach(client, 'b', false);
    await watch.line('second entry', 300_000);
    watch.dispose();
    const pids = [client.pid, vm.hostPid!];
    const cpu = () => self() + pids.reduce((sum, p) => sum + cpuSeconds(p), 0) + qemuDisplaySeconds(vm.vmPid!);
    let previous: string | undefined;
    const view = async () => {
      const f = await client.request(vmScreenFrameRequest, { name: 'b', width: 160, height: 100, ...(previous ? { previous } : {}) });
      if (f.rgbBase64 !== undefined) frameToCells(Buffer.from(f.rgbBase64, 'base64'), f.width, f.height, 160, 50, 'truecolor');
      previous = f.digest;
    };
    for (let i = 0; i < 5; i++) await view(); // warm-up: the RFB connection and its first full update

    // The same processes with no frames asked for: what the path adds is measured against this.
    const idleStart = cpu(), idleT0 = performance.now();
    while (performance.now() < idleT0 + seconds * 1000) await new Promise((done) => setTimeout(done, 250));
    const idle = ((cpu() - idleStart) / ((performance.now() - idleT0) / 1000)) * 100;

    // 10 frames a second: each frame starts on its 100 ms slot (a rate, not a wait for a condition).
    const at10 = async (keys: boolean): Promise<number> => {
      const c0 = cpu(), t0 = performance.now();
      for (let i = 0; i < seconds * 10; i++) {
        if (keys) await client.request(vmSendKeysRequest, { name: 'b', keys: [i % 2 ? 'Up' : 'Down'] });
        await view();
        while (performance.now() < t0 + (i + 1) * 100) await new Promise((done) => setTimeout(done, Math.max(1, t0 + (i + 1) * 100 - performance.now())));
      }
      const wall = (performance.now() - t0) / 1000;
      return ((cpu() - c0) / wall) * 100;
    };
    const still = await at10(false);
    const moving = await at10(true);
    console.log(`${`${label}: no frames asked for`.padEnd(44)} ${idle.toFixed(1)} % of one core`);
    console.log(`${`${label}: 10 fps, still screen`.padEnd(44)} ${still.toFixed(1)} % of one core (${(still - idle).toFixed(1)} % over no frames)`);
    console.log(`${`${label}: 10 fps, a key every frame`.padEnd(44)} ${moving.toFixed(1)} % of one core (${(moving - idle).toFixed(1)} % over no frames)`);

    const times: number[] = [];
    const c0 = cpu(), t0 = performance.now();
    for (let i = 0; i < seconds * 10; i++) {
      const t = performance.now();
      previous = undefined; // a full frame every time: the cost of pixels crossing the protocol
      await view();
      times.push(performance.now() - t);
      await tick();
    }
    const wall = (performance.now() - t0) / 1000;
    report(`${label}: full frame + cells, back to back`, times);
    const fastFps = times.length / wall, fastCpuMs = ((cpu() - c0) / times.length) * 1000;
    console.log(`${''.padEnd(44)} ${fastFps.toFixed(1)} frames/s, CPU ${fastCpuMs.toFixed(1)} ms/frame (all processes)`);
    await client.stopVm({ name: 'b', force: true });
    return { idle, still, moving, fastFps, fastCpuMs };
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

try {
  const setup = await HelperClient.start({ env: { ...process.env, VMTUI_HOME: home } });
  await setup.initialize();
  await setup.createVm({ name: 'b', cpuCount: 1, memoryBytes: 256 * 2 ** 20, diskBytes: 64 * 2 ** 20, boot: { kind: 'efi', iso: join(isoDir, 'menu.iso') }, display: { width: 1280, height: 800 } });
  await setup.shutdown();
  const rfb = await measure('new (RFB framebuffer)', {});
  const dump = await measure('old (QMP screendump)', { VMTUI_SCREEN_FRAMES: 'screendump' });
  // Each path's cost is what it adds to the guest alone, measured in the same run.
  ratio('old / new, CPU at 10 fps, still screen', dump.still - dump.idle, rfb.still - rfb.idle);
  ratio('old / new, CPU at 10 fps, a key every frame', dump.moving - dump.idle, rfb.moving - rfb.idle);
  ratio('old / new, CPU per full frame', dump.fastCpuMs, rfb.fastCpuMs);
  const worst = Math.max(rfb.still - rfb.idle, rfb.moving - rfb.idle);
  console.log(`${'goal: ≤ 25 % of one core at 10 fps'.padEnd(44)} new path adds ${worst.toFixed(1)} % (the higher of the two)`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
