// `vmtui stats` end to end: the built CLI, the real helper.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execa } from 'execa';
import { decodeHostStatsParams, decodeVMStats } from '../../src/rpc/protocol.js';
import { tempHome } from '../helpers/home.js';
import { cliPath } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';

test('vmtui stats --json --count 2 prints two JSON lines of {time, host, vms}', async () => {
  const home = await tempHome();
  try {
    const r = await execa(process.execPath, [cliPath, 'stats', '--json', '--count', '2', '--interval', '250'], { reject: false, env: home.env, stdin: 'ignore' });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.equal(lines.length, 2, r.stdout);
    for (const line of lines) {
      const sample = JSON.parse(line) as { time: string; host: unknown; vms: unknown[] };
      const host = decodeHostStatsParams(sample.host, 'host');
      assert.equal(host.time, sample.time);
      assert.deepStrictEqual(sample.vms.map((v, i) => decodeVMStats(v, `vms[${i}]`)), []);
    }
  } finally {
    await home.remove();
  }
});

test('vmtui stats prints a readable block and says when it changed the interval', async () => {
  const home = await tempHome();
  try {
    const r = await execa(process.execPath, [cliPath, 'stats', '--count', '1', '--interval', '50'], { reject: false, env: home.env, stdin: 'ignore' });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /^\S+Z {2}host CPU \d+\.\d% {2}memory .+ of .+ {2}disk .+ free of .+\nNo VM is running\.$/);
    assert.equal(r.stderr, 'vmtui: using an interval of 250 ms (the helper allows 250 … 10000).');
  } finally {
    await home.remove();
  }
});

test('vmtui stats runs until Ctrl-C, then ends cleanly', async () => {
  const home = await tempHome();
  try {
    const child = execa(process.execPath, [cliPath, 'stats', '--json', '--interval', '250'], { reject: false, env: home.env, stdin: 'ignore' });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.split('\n').length > 2, 'two samples');
    child.kill('SIGINT');
    const r = await child;
    assert.equal(r.exitCode, 0, r.stderr);
    for (const line of out.trim().split('\n')) JSON.parse(line);
  } finally {
    await home.remove();
  }
});

test('vmtui stats rejects a bad --interval or --count with status 2 before starting a helper', async () => {
  const env = { ...process.env, VMTUI_HELPER: '/nonexistent/vmtui-helper' };
  for (const args of [['--interval', 'soon'], ['--count', '0'], ['--count', '1.5'], ['extra']]) {
    const r = await execa(process.execPath, [cliPath, 'stats', ...args], { reject: false, env, stdin: 'ignore' });
    assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^vmtui: .+\.\n?$/);
  }
});
