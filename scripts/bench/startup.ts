// Start-up of the `vmtui` users run (the bundle in dist/vmtui, as scripts/vmtui.sh and npm's bin
// start it) beside `node -e 0`, measured in the same run, cases taking turns so a noisy neighbour
// weighs on all alike. Prints p50/p99 and the ratio of p50s against the targets of issue #13;
// asserts nothing.
//   vmtui --version                       spawn to exit               target ≤ 1.5×
//   vmtui list --json, empty home         spawn to exit (real helper) target ≤ 2.5×
//   vmtui list --json, 200 stopped VMs    spawn to exit (real helper) target ≤ 3×
//   vmtui (the TUI) in a pseudo-terminal  spawn to the first frame with host facts (the bench answers
//                                         the graphics query as a terminal would, at once and after
//                                         100 ms), beside
//                                         `node -e 0` in the same pseudo-terminal   target ≤ 2.5×
//                                         The same with no code cache for the UI script (the first
//                                         start after an install or an update) is printed beside it.
//   vmtui-helper --version                spawn to exit, started as vmtui starts it (chroot on a
//                                         Linux toolchain root): what every command pays for the helper
// Run: node dist/scripts/bench/startup.js [runs=10] [vms=200]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HelperClient } from '../../src/rpc/client.js';
import { helperLaunch } from '../../src/rpc/helperLaunch.js';
import { locateHelper, vmtuiHome } from '../../src/rpc/helperProcess.js';
import { guestParams } from '../../test/e2e/vm-support.js';
import { withThisNode } from '../../test/helpers/process.js';
import { percentile, report } from './stats.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const runs = Number(process.argv[2] ?? 10);
const vmCount = Number(process.argv[3] ?? 200);
const bin = join(repo, 'dist/vmtui/bin.js');
const node = process.execPath;

/** Runs `command` under script(1) for a pty; resolves with ms until `until` matches the output (or exit). */
function timeInPty(command: string, env: NodeJS.ProcessEnv, until?: RegExp, answerAfterMs = 0): Promise<number> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, COLUMNS: '100', LINES: '30' } });
    let out = '';
    let matched = false;
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`no frame in 30 s; output: ${out.slice(-300)}`)); }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // Every terminal answers primary device attributes (DA1); script(1) has no terminal behind it,
      // so the bench answers as an xterm does (no sixel, no kitty graphics), at once or after a
      // round trip of a distant SSH session.
      if (d.includes('\u001B[c')) setTimeout(() => child.stdin.write('\u001B[?62;22c'), answerAfterMs);
      if (until && !matched && until.test(out)) {
        matched = true;
        clearTimeout(timer);
        const elapsed = performance.now() - start;
        child.stdin.write('q');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
        child.on('exit', () => done(elapsed));
      }
    });
    child.on('exit', () => {
      if (!until) { clearTimeout(timer); done(performance.now() - start); }
    });
  });
}

/** Wall time of one run of `file args` to its exit; a failed run is an error, not a figure. */
function wallOf(file: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t = performance.now();
  const r = spawnSync(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = performance.now() - t;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} exited with ${r.status}: ${r.stderr.toString()}`);
  return elapsed;
}
/** `vmtui args` as users start it: the bundle by its first line (env -S ... node <flags>). */
const vmtui = (args: string[], env: NodeJS.ProcessEnv) => wallOf(bin, args, env);

/** A terminal's round trip over a distant SSH link: the graphics question travels while Ink loads. */
const FAR_MS = 100;
const empty = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const full = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const { NODE_ENV: _unset, ...userEnv } = process.env; // as a user runs it
const emptyEnv: NodeJS.ProcessEnv = withThisNode({ ...userEnv, VMTUI_HOME: empty, TERM: 'xterm-256color' });
const fullEnv: NodeJS.ProcessEnv = withThisNode({ ...userEnv, VMTUI_HOME: full });
const maker = await HelperClient.start({ env: fullEnv });
await maker.initialize();
for (let i = 0; i < vmCount; i++) await maker.createVm(guestParams(`vm${String(i).padStart(3, '0')}`, { diskBytes: 2 ** 20 }));
await maker.shutdown();

const helperVersion = helperLaunch(locateHelper(emptyEnv), ['--version'], emptyEnv, vmtuiHome(emptyEnv));

const cases = {
  helper: [] as number[],
  bare: [] as number[],
  version: [] as number[],
  listEmpty: [] as number[],
  listFull: [] as number[],
  barePty: [] as number[],
  tui: [] as number[],
  tuiFar: [] as number[],
  tuiCold: [] as number[],
};
const tuiCommand = JSON.stringify(bin);
// One untimed round first: the compile caches and the page cache are warm for every case alike.
vmtui(['list', '--json'], emptyEnv);
await timeInPty(tuiCommand, emptyEnv, /cores/);
for (let i = 0; i < runs; i++) {
  cases.bare.push(wallOf(node, ['-e', '0'], emptyEnv));
  cases.helper.push(wallOf(helperVersion.file, helperVersion.args, helperVersion.env));
  cases.version.push(vmtui(['--version'], emptyEnv));
  cases.listEmpty.push(vmtui(['list', '--json'], emptyEnv));
  cases.listFull.push(vmtui(['list', '--json'], fullEnv));
  cases.barePty.push(await timeInPty(`${JSON.stringify(node)} -e 0`, emptyEnv));
  // The first frame with host facts needs initialize + host/info answered by the real helper.
  cases.tui.push(await timeInPty(tuiCommand, emptyEnv, /cores/));
  cases.tuiFar.push(await timeInPty(tuiCommand, emptyEnv, /cores/, FAR_MS));
  // The UI script's code cache is written as the UI quits; this run starts without one.
  rmSync(join(empty, 'cache', 'ui-code'), { recursive: true, force: true });
  cases.tuiCold.push(await timeInPty(tuiCommand, emptyEnv, /cores/));
}
rmSync(empty, { recursive: true, force: true });
rmSync(full, { recursive: true, force: true });

console.log(`vmtui start-up, ${runs} runs each (dist/vmtui/bin.js), ${vmCount} VMs in the full home`);
const base = report('node -e 0 (spawn to exit)', cases.bare).p50;
report('vmtui --version', cases.version);
report('vmtui-helper --version (as vmtui starts it)', cases.helper);
report('vmtui list --json, empty home', cases.listEmpty);
report(`vmtui list --json, ${vmCount} VMs`, cases.listFull);
const ptyBase = report('node -e 0 in a pty (spawn to exit)', cases.barePty).p50;
report('vmtui TUI in a pty (to host facts)', cases.tui);
report(`the same, terminal answering after ${FAR_MS} ms`, cases.tuiFar);
report('the same, no code cache yet', cases.tuiCold);
const line = (label: string, samples: number[], against: number, target: number) => {
  const r = percentile(samples, 50) / against;
  console.log(`${label.padEnd(44)} ${r.toFixed(2)}x  (target ≤ ${target}x: ${r <= target ? 'met' : 'NOT met'})`);
};
line('ratio --version / node -e 0', cases.version, base, 1.5);
line('ratio list --json empty / node -e 0', cases.listEmpty, base, 2.5);
line(`ratio list --json ${vmCount} VMs / node -e 0`, cases.listFull, base, 3);
line('ratio TUI first frame / node -e 0 (pty)', cases.tui, ptyBase, 2.5);
line(`ratio the same, answer after ${FAR_MS} ms`, cases.tuiFar, ptyBase, 2.5);
console.log(`${'ratio the same, no code cache'.padEnd(44)} ${(percentile(cases.tuiCold, 50) / ptyBase).toFixed(2)}x  (once a build)`);
