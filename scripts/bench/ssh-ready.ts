// Create from the Debian image → SSH ready, through vmtui (vm/start until the host reports the
// guest's SSH banner), beside the very same qemu command line (taken from host.log; the same disk
// copy, EFI variables and seed) run directly, timed to the first "SSH-" banner on the forwarded port.
// Each boot starts from a fresh copy of the image (a first boot: host keys, cloud-init); the order
// of the two sides alternates between runs.
// Run: node dist/scripts/bench/ssh-ready.js [runs (2)]   (needs VMTUI_TEST_DEBIAN_DIR)
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HelperClient } from '../../src/rpc/client.js';
import { bannerAnswers, debianImage, debianVm, placeImage } from '../../test/e2e/debian-support.js';
import { ratio, report } from './stats.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const runs = Number(process.argv[2] ?? 2);
const CEILING_MS = 900_000;
const image = debianImage();
if (!image.path) {
  console.error(`ssh-ready: ${image.why}.`);
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const client = await HelperClient.start({ env: { ...process.env, VMTUI_HOME: home } });
await client.initialize();
const vm = await debianVm(client, home, 'bench', image.path);
const bundle = join(home, 'vms', 'bench');
const disk = join(bundle, 'disk.img');
const vars = join(bundle, 'efi-vars.fd');
copyFileSync(vars, `${vars}.fresh`);
const port = vm.ssh!.port;

function fresh(): void {
  placeImage(disk, image.path!);
  copyFileSync(`${vars}.fresh`, vars);
}

async function throughVmtui(): Promise<number> {
  const ready = new Promise<void>((done) => {
    const sub = client.onStateChanged((p) => { if (p.name === 'bench' && p.sshReady) { sub.dispose(); done(); } });
  });
  const t = performance.now();
  await client.startVm('bench');
  await Promise.race([ready, new Promise((_, fail) => setTimeout(() => fail(new Error('no SSH within the ceiling')), CEILING_MS).unref())]);
  const took = performance.now() - t;
  await client.stopVm({ name: 'bench', force: true });
  return took;
}

/** The argv the host logged for its last start. */
function loggedArgv(): string[] {
  const logged = readFileSync(join(bundle, 'host.log'), 'utf8').split('\n').filter((l) => l.includes('starting qemu: ')).at(-1)!;
  return JSON.parse(logged.slice(logged.indexOf('starting qemu: ') + 'starting qemu: '.length)) as string[];
}

async function directly(argv: string[]): Promise<number> {
  const child = spawn('bash', [join(repo, 'scripts/toolchain/in-root.sh'), ...argv], { cwd: bundle, stdio: ['pipe', 'ignore', 'ignore'] });
  const t = performance.now();
  try {
    while (!(await bannerAnswers(port, 5000))) {
      if (performance.now() - t > CEILING_MS) throw new Error('direct qemu: no SSH banner within the ceiling');
      if (child.exitCode !== null) throw new Error(`direct qemu exited (${child.exitCode}) before SSH answered`);
      await new Promise((done) => setTimeout(done, 100));
    }
    return performance.now() - t;
  } finally {
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
  }
}

// The first run through vmtui (its host logs the argv); then the order alternates, so a machine
// that gets busier or quieter during the run does not favour one side.
const viaVmtui: number[] = [];
const direct: number[] = [];
let argv: string[] = [];
for (let i = 0; i < runs; i++) {
  const order = i % 2 === 0 ? ['vmtui', 'direct'] : ['direct', 'vmtui'];
  for (const side of order) {
    fresh();
    if (side === 'vmtui') {
      viaVmtui.push(await throughVmtui());
      argv = loggedArgv();
    } else {
      direct.push(await directly(argv));
    }
    console.log(`run ${i + 1} ${side}: ${((side === 'vmtui' ? viaVmtui : direct).at(-1)! / 1000).toFixed(1)} s`);
  }
}
await client.deleteVm('bench');
await client.shutdown();
rmSync(home, { recursive: true, force: true });

console.log(`Debian image, create → SSH banner on the kept port (${argv.includes('tcg') ? 'TCG' : 'KVM'}), ${runs} run(s), a fresh disk each`);
const a = report('through vmtui (vm/start → sshReady)', viaVmtui);
const b = report('same qemu command line, run directly', direct);
ratio('ratio vmtui / direct (p50, goal ≤ 1.10)', a.p50, b.p50);
