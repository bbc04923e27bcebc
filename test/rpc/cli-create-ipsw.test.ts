// `vmtui create NAME --ipsw …`: on this Linux host the real helper says macOS needs a Mac, before
// any download and without making a VM; on a Mac the flow (download, create, install) reports
// progress as JSON lines, shown here with the fake client standing in for a VZ helper.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { execa } from 'execa';
import { parseArgs } from '../../src/commands/args.js';
import type { CommandIO } from '../../src/commands/io.js';
import { createCommand } from '../../src/commands/vmChange.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { tempHome, withTempFolder } from '../helpers/home.js';
import { cliPath } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';

const GiB = 2 ** 30;

test('on Linux, --ipsw with a file, a URL or latest gets the helper\'s sentence, status 1, and no VM', async () => {
  const home = await tempHome();
  const image = join(home.home, 'UniversalMac.ipsw');
  writeFileSync(image, 'not really');
  try {
    for (const source of [image, 'latest', 'https://updates.example.com/UniversalMac.ipsw']) {
      const r = await execa(process.execPath, [cliPath, 'create', 'mac', '--ipsw', source], { reject: false, env: home.env, stdin: 'ignore' });
      assert.equal(r.exitCode, 1, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr.trim(), 'vmtui: macOS guests need Virtualization.framework on an Apple silicon Mac; this host runs QEMU.');
    }
    assert.equal(existsSync(join(home.home, 'vms', 'mac')), false, 'no VM was made');
    const mixed = await execa(process.execPath, [cliPath, 'create', 'mac', '--ipsw', 'latest', '--iso', image], { reject: false, env: home.env, stdin: 'ignore' });
    assert.equal(mixed.exitCode, 2);
    assert.match(mixed.stderr, /--ipsw makes a macOS VM; it does not go with --kernel, --initrd, --cmdline or --iso\./);
  } finally {
    await home.remove();
  }
});

/** A fake VZ helper: initialize says macOS guests can run here. */
class FakeMacClient extends FakeClient {
  override async initialize() {
    const init = await super.initialize();
    return { ...init, platform: 'macos' as const, arch: 'arm64' as const, backend: 'vz' as const, capabilities: { ...init.capabilities, macosGuests: true } };
  }
}

function captureIO(fake: FakeClient, cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  const io: CommandIO = { stdout, stderr, stdin: { isTTY: false } as CommandIO['stdin'], cwd, clientFactory: async () => fake.asClient() };
  return { io, out: () => out, err: () => err };
}

test('--ipsw latest --json: JSON lines for the lookup, download progress, create, install progress and the result', async () => {
  const fake = new FakeMacClient([]);
  await withTempFolder('ipsw', async (cwd) => {
    const { io, out } = captureIO(fake, cwd);
    const running = createCommand.run(parseArgs(createCommand.spec, ['mac', '--ipsw', 'latest', '--cpus', '2', '--memory', '8G', '--disk', '64G', '--json']), io);
    await waitFor(() => fake.download, 'the download to start');
    fake.ipswProgress({ url: fake.latest.url, phase: 'downloading', receivedBytes: 7 * GiB, totalBytes: 14 * GiB, bytesPerSecond: 2 ** 20, etaSeconds: 60 });
    fake.download?.finish('/cache/UniversalMac_15.1.ipsw');
    await waitFor(() => fake.install, 'the install to start');
    fake.installProgress({ name: 'mac', fraction: 0.5, phase: 'installing' });
    fake.install?.finish();
    await running;
    const events = out().trim().split('\n').map((l) => JSON.parse(l) as { event: string; [k: string]: unknown });
    assert.deepEqual(events.map((e) => e.event), ['latest', 'download', 'downloaded', 'created', 'install', 'installed']);
    assert.equal(events[1]?.receivedBytes, 7 * GiB);
    assert.equal(events[2]?.path, '/cache/UniversalMac_15.1.ipsw');
    assert.deepEqual(fake.calls.find(([c]) => c === 'createVm'), [
      'createVm',
      { name: 'mac', cpuCount: 2, memoryBytes: 8 * GiB, diskBytes: 64 * GiB, os: 'macos', boot: { kind: 'macos' }, ipsw: '/cache/UniversalMac_15.1.ipsw' },
    ]);
    assert.deepEqual(events[4], { event: 'install', name: 'mac', fraction: 0.5, phase: 'installing' });
    assert.equal((events[5]?.vm as { name: string }).name, 'mac');
  });
});

test('a local --ipsw file skips the download; a cancelled download keeps the partial and says how to resume', async () => {
  await withTempFolder('ipsw', async (cwd) => {
    writeFileSync(join(cwd, 'local.ipsw'), 'x');
    const fake = new FakeMacClient([]);
    const local = captureIO(fake, cwd);
    Object.assign(local.io.stderr, { isTTY: true }); // progress is one rewritten line on a terminal
    const running = createCommand.run(parseArgs(createCommand.spec, ['m1', '--ipsw', 'local.ipsw']), local.io);
    await waitFor(() => fake.install, 'the install to start');
    fake.installProgress({ name: 'm1', fraction: 0.25, phase: 'installing' });
    fake.installProgress({ name: 'm1', fraction: 0.5, phase: 'installing' });
    fake.install?.finish();
    await running;
    assert.equal(fake.calls.some(([c]) => c === 'downloadIpsw'), false);
    assert.equal((fake.calls.find(([c]) => c === 'createVm')?.[1] as { ipsw: string }).ipsw, join(cwd, 'local.ipsw'));
    assert.match(local.out(), /Installed macOS in VM 'm1'\. Start it with 'vmtui start m1'\./);
    assert.equal(local.err(), '\rInstalling macOS · 25% · installing\u001B[K\rInstalling macOS · 50% · installing\u001B[K\n');

    const other = new FakeMacClient([]);
    const remote = captureIO(other, cwd);
    const failing = createCommand.run(parseArgs(createCommand.spec, ['m2', '--ipsw', 'https://x/a.ipsw']), remote.io);
    await waitFor(() => other.download, 'the download to start');
    process.emit('SIGINT');
    await assert.rejects(failing, /Download stopped; the part downloaded so far is kept, and running the same command again resumes it\./);
    assert.equal(other.calls.some(([c]) => c === 'createVm'), false);
  });
});

test('on Linux, vmtui install gets the helper\'s sentence about Macs and how Linux guests install', async () => {
  const home = await tempHome();
  try {
    const made = await execa(process.execPath, [cliPath, 'create', 'dev', '--iso', cliPath, '--json'], { reject: false, env: home.env, stdin: 'ignore' });
    assert.equal(made.exitCode, 0, made.stderr);
    const r = await execa(process.execPath, [cliPath, 'install', 'dev'], { reject: false, env: home.env, stdin: 'ignore' });
    assert.equal(r.exitCode, 1, r.stderr);
    assert.match(r.stderr, /^vmtui: Installing macOS needs Virtualization\.framework on an Apple silicon Mac; this host runs QEMU\. Linux guests install from an ISO: 'vmtui create NAME --iso PATH'\.\n?$/);
    const missing = await execa(process.execPath, [cliPath, 'install', 'nope'], { reject: false, env: home.env, stdin: 'ignore' });
    assert.equal(missing.exitCode, 3, missing.stderr);
  } finally {
    await home.remove();
  }
});
