// How the helper is started: through chroot directly when the toolchain root is mounted, else
// through its launcher; and the distribution name passed in from outside the root.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { helperLaunch, hostDistribution, parseRootFacts } from '../../src/rpc/helperLaunch.js';
import { repoRoot } from '../helpers/process.js';

test('root facts: key=value lines; anything missing or relative is no facts', () => {
  assert.deepStrictEqual(parseRootFacts('root=/r\nbinary=/b/vmtui-helper\npath=/usr/bin:/bin\n'), {
    root: '/r',
    binary: '/b/vmtui-helper',
    path: '/usr/bin:/bin',
  });
  assert.equal(parseRootFacts('root=/r\npath=/usr/bin\n'), undefined);
  assert.equal(parseRootFacts('root=r\nbinary=/b\npath=/usr/bin\n'), undefined);
  assert.equal(parseRootFacts(''), undefined);
});

test("the machine's distribution is os-release's PRETTY_NAME, unquoted", () => {
  const files: Record<string, string> = { '/etc/os-release': 'NAME="Ubuntu"\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\nID=ubuntu\n' };
  assert.equal(hostDistribution((p) => files[p]), 'Ubuntu 24.04.1 LTS');
  assert.equal(hostDistribution((p) => (p === '/usr/lib/os-release' ? "PRETTY_NAME='Arch Linux'\n" : undefined)), 'Arch Linux');
  assert.equal(hostDistribution(() => undefined), undefined);
});

test('without facts, or with a root that is not mounted, the launcher runs as it is', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vmtui-launch-'));
  try {
    const launcher = join(dir, 'vmtui-helper');
    await writeFile(launcher, '#!/bin/sh\n');
    const env = { PATH: '/usr/bin:/bin' };
    assert.deepStrictEqual(helperLaunch(launcher, ['serve'], env, dir), { file: launcher, args: ['serve'], env });
    // Facts naming a root where nothing is mounted (no /proc, no binds): the launcher mounts them.
    await writeFile(`${launcher}.root`, `root=${dir}/root\nbinary=${dir}/bin/vmtui-helper\npath=/usr/bin:/bin\n`);
    assert.deepStrictEqual(helperLaunch(launcher, ['serve'], env, dir), { file: launcher, args: ['serve'], env });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const launcher = join(repoRoot, 'helper', '.build', 'vmtui-helper');
const rooted = existsSync(`${launcher}.root`);

test('with the toolchain root mounted, vmtui runs chroot itself and the helper answers', { skip: rooted ? false : 'this machine builds the helper without the Linux toolchain root' }, async () => {
  execFileSync(launcher, ['--version']); // mounts what is missing, as the launcher does for users
  const home = await mkdtemp(join(tmpdir(), 'vmtui-launch-'));
  try {
    const launch = helperLaunch(launcher, ['--version'], { ...process.env, VMTUI_HOME: home }, home);
    assert.match(launch.file, /\/chroot$/);
    const facts = parseRootFacts(execFileSync('cat', [`${launcher}.root`]).toString());
    assert.deepStrictEqual(launch.args, [facts?.root, facts?.binary, '--version']);
    assert.equal(launch.env.PATH, facts?.path);
    assert.equal(launch.env.VMTUI_HOST_DISTRIBUTION, hostDistribution());
    const out = execFileSync(launch.file, launch.args, { env: launch.env }).toString().trim();
    assert.match(out, /^\d+\.\d+\.\d+$/);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
