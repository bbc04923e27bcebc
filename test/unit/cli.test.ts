// The CLI's answers that need no helper.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execa } from 'execa';
import { cliPath } from '../helpers/process.js';

const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  execa(process.execPath, [cliPath, ...args], { reject: false, env, extendEnv: false, stdin: 'ignore' });

test('--version', async () => {
  const r = await run(['--version']);
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout, 'vmtui 0.1.0');
});

test('--help lists every subcommand', async () => {
  const r = await run(['--help']);
  assert.equal(r.exitCode, 0);
  for (const text of ['vmtui host [--json]', 'vmtui --version', 'vmtui --help']) assert.ok(r.stdout.includes(text), text);
});

test('an unknown command or flag is a sentence on stderr and status 2', async () => {
  for (const args of [['frobnicate'], ['--frobnicate'], ['host', '--yaml']]) {
    const r = await run(args);
    assert.equal(r.exitCode, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^vmtui: .+\.\n?$/);
  }
});

test('a missing helper is a sentence on stderr and status 1', async () => {
  const r = await run(['host'], { ...process.env, VMTUI_HELPER: '/nonexistent/vmtui-helper' });
  assert.equal(r.exitCode, 1);
  assert.match(r.stderr, /VMTUI_HELPER names '\/nonexistent\/vmtui-helper'.*build-helper\.sh/);
});

test('the UI refuses to start without a terminal', async () => {
  const r = await run([]);
  assert.equal(r.exitCode, 2);
  assert.match(r.stderr, /needs a terminal/);
});
