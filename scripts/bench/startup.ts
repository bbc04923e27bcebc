// Time from spawning `vmtui` (the TUI, in a pseudo-terminal) to its first frame showing host facts,
// beside spawning `node -e 0` to its exit, in the same run. Prints figures; asserts nothing.
// Run: node dist/scripts/bench/startup.js [runs]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ratio, report } from './stats.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const runs = Number(process.argv[2] ?? 10);

/** Runs `command` under script(1) for a pty; resolves with ms until `until` matches the output (or exit). */
function timeInPty(command: string, env: NodeJS.ProcessEnv, until?: RegExp): Promise<number> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...env, COLUMNS: '100', LINES: '30' } });
    let out = '';
    let matched = false;
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`no frame in 30 s; output: ${out.slice(-300)}`)); }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
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

const home = mkdtempSync(join(tmpdir(), 'vmtui-bench-'));
const env = { ...process.env, VMTUI_HOME: home, TERM: 'xterm-256color' };
const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(repo, 'dist/src/bin.js'))}`;
const tui: number[] = [];
const bare: number[] = [];
for (let i = 0; i < runs; i++) {
  // The first frame with host facts needs initialize + host/info answered by the real helper.
  tui.push(await timeInPty(cli, env, /cores/));
  bare.push(await timeInPty(`${JSON.stringify(process.execPath)} -e 0`, env));
}
rmSync(home, { recursive: true, force: true });
console.log('vmtui start-up (spawn to first frame with host facts)');
const a = report('vmtui (TUI, real helper)', tui);
const b = report('node -e 0 (spawn to exit)', bare);
ratio('ratio vmtui / node -e 0 (p50)', a.p50, b.p50);
