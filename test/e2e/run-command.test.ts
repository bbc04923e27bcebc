// The command users run: scripts/vmtui.sh (what setup links as `vmtui`) and the bundle behind it.
// Once set up, the run command prints only vmtui's own output, on a pipe and on a terminal alike,
// and the helper build never starts over because stderr changed between them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { execa } from 'execa';
import { HelperClient } from '../../src/rpc/client.js';
import { hostDistribution } from '../../src/rpc/helperLaunch.js';
import { VMTUI_VERSION } from '../../src/version.js';
import { tempHome } from '../helpers/home.js';
import { repoRoot } from '../helpers/process.js';
import { guestParams } from './vm-support.js';

const runCommand = `${repoRoot}/scripts/vmtui.sh`;
/** A command line run by script(1), so its stdout and stderr are a terminal. */
const inPty = (command: string, env: NodeJS.ProcessEnv) =>
  execa('script', ['-qec', command, '/dev/null'], { env, reject: false, stdin: 'ignore' });

test('the run command, once set up, prints only what vmtui prints: on a pipe and on a terminal', { timeout: 20 * 60_000 }, async () => {
  const home = await tempHome();
  home.env.VMTUI_NO_LINK = '1'; // a setup run here links nothing into the home folder
  try {
    // The first call sets up if a source changed since the last setup (it may build and print).
    await execa('bash', [runCommand, '--version'], { env: home.env, stdin: 'ignore' });
    const piped = await execa('bash', [runCommand, '--version'], { env: home.env, stdin: 'ignore' });
    assert.equal(piped.stdout, `vmtui ${VMTUI_VERSION}`);
    assert.equal(piped.stderr, '');
    const tty = await inPty(`bash '${runCommand}' --version`, home.env);
    assert.equal(tty.stdout.replace(/\r/g, ''), `vmtui ${VMTUI_VERSION}`);
    const list = await execa('bash', [runCommand, 'list', '--json'], { env: home.env, stdin: 'ignore' });
    assert.deepStrictEqual(JSON.parse(list.stdout), { vms: [], problems: [] });
    assert.equal(list.stderr, '');
  } finally {
    await home.remove();
  }
});

test('every file the bundle is built from is one the run command checks before it runs', async () => {
  const script = readFileSync(runCommand, 'utf8');
  const declared = /^sources=\([\s\S]*?\)$/m.exec(script)?.[0];
  assert.ok(declared, 'scripts/vmtui.sh declares its sources');
  const { stdout } = await execa('bash', ['-c', `top='${repoRoot}'; ${declared}; printf '%s\\n' "\${sources[@]}"`]);
  const sources = stdout.split('\n');
  // bundle.mjs and every script it imports, transitively.
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const [, next] of readFileSync(`${repoRoot}/scripts/${name}`, 'utf8').matchAll(/from '\.\/([\w.]+\.mjs)'/g)) visit(next!);
  };
  visit('bundle.mjs');
  assert.ok(seen.size > 2, `bundle.mjs imports its options and patches: ${[...seen]}`);
  for (const name of seen) assert.ok(sources.includes(`${repoRoot}/scripts/${name}`), `scripts/${name} is not among the run command's sources`);
});

test('a reader that stops early (vmtui list --json | head -c 20) gets no error from vmtui', { timeout: 5 * 60_000 }, async () => {
  const home = await tempHome();
  try {
    // Enough VMs that the answer is more than a pipe holds, so vmtui writes after head has gone.
    const maker = await HelperClient.start({ env: home.env });
    await maker.initialize();
    for (let i = 0; i < 250; i++) await maker.createVm(guestParams(`vm${String(i).padStart(3, '0')}`, { diskBytes: 2 ** 20 }));
    await maker.shutdown();
    const piped = await execa('bash', ['-o', 'pipefail', '-c', `'${process.execPath}' '${repoRoot}/dist/vmtui/bin.js' list --json | head -c 20`], { env: home.env, stdin: 'ignore', reject: false });
    assert.equal(piped.stdout, '{\n  "vms": [\n    {\n '); // the first 20 bytes
    assert.equal(piped.stderr, '');
    assert.equal(piped.exitCode, 0);
  } finally {
    await home.remove();
  }
});

test('a helper build from a terminal after one from a pipe (and back) compiles nothing', { timeout: 20 * 60_000 }, async () => {
  const build = `bash '${repoRoot}/scripts/build-helper.sh' release`;
  await execa('bash', ['-c', build], { stdin: 'ignore' }); // up to date first, whatever changed
  const fromTty = await inPty(build, process.env);
  assert.equal(fromTty.exitCode, 0, fromTty.stdout);
  assert.doesNotMatch(fromTty.stdout, /Compiling|Linking/, fromTty.stdout);
  const fromPipe = await execa('bash', ['-c', build], { stdin: 'ignore' });
  assert.doesNotMatch(fromPipe.stderr, /Compiling|Linking/, fromPipe.stderr);
});

test('the bundle answers commands, snapshot --help lists the snapshot commands, npx vmtui runs it', async () => {
  const home = await tempHome();
  try {
    const pkg = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as { bin: { vmtui: string } };
    const bin = `${repoRoot}/${pkg.bin.vmtui}`;
    const run = (args: string[]) => execa(process.execPath, [bin, ...args], { env: home.env, stdin: 'ignore', reject: false });
    assert.equal((await run(['--version'])).stdout, `vmtui ${VMTUI_VERSION}`);
    const help = await run(['snapshot', '--help']);
    assert.equal(help.exitCode, 0, help.stderr);
    for (const sub of ['create', 'list', 'restore', 'delete']) assert.match(help.stdout, new RegExp(`^Usage: vmtui snapshot ${sub} `, 'm'), sub);
    const ipsw = await run(['ipsw', '-h']);
    assert.match(ipsw.stdout, /^Usage: vmtui ipsw latest/m);
    const none = await run(['snapshot']);
    assert.equal(none.exitCode, 2);
    assert.match(none.stderr, /use 'vmtui snapshot create\|list\|restore\|delete'/);
    const npx = await execa('npx', ['--offline', '--no-install', 'vmtui', '--version'], { cwd: repoRoot, env: home.env, stdin: 'ignore', reject: false });
    assert.equal(npx.stdout, `vmtui ${VMTUI_VERSION}`, npx.stderr);
  } finally {
    await home.remove();
  }
});

test("vmtui host names this machine's own system, also when the helper runs in the toolchain root", async () => {
  const home = await tempHome();
  try {
    const out = execFileSync(process.execPath, [`${repoRoot}/dist/vmtui/bin.js`, 'host', '--json'], { env: home.env }).toString();
    const { os } = JSON.parse(out) as { os: { name: string; version: string } };
    if (process.platform === 'linux') assert.equal(os.version, hostDistribution() ?? 'Linux');
    else assert.notEqual(os.version, '');
  } finally {
    await home.remove();
  }
});
