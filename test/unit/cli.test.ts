// The CLI's answers that need no helper.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execa } from 'execa';
import { vmCommands } from '../../src/commands/registry.js';
import { cliPath } from '../helpers/process.js';

const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  execa(process.execPath, [cliPath, ...args], { reject: false, env, extendEnv: false, stdin: 'ignore' });

test('--version', async () => {
  const r = await run(['--version']);
  assert.equal(r.exitCode, 0);
  assert.equal(r.stdout, 'vmtui 0.1.0');
});

test('--help lists every subcommand and the exit statuses', async () => {
  const r = await run(['--help']);
  assert.equal(r.exitCode, 0);
  for (const text of ['vmtui host [--json]', 'vmtui --version', 'vmtui --help', 'vmtui COMMAND --help']) assert.ok(r.stdout.includes(text), text);
  for (const command of vmCommands) assert.match(r.stdout, new RegExp(`^  vmtui ${command.spec.name}\\b`, 'm'), command.spec.name);
  for (const [code, words] of [[0, 'it worked'], [1, 'it failed'], [2, 'asked wrongly'], [3, 'no VM with that name'], [4, 'wrong state'], [5, 'helper']] as const) {
    assert.match(r.stdout, new RegExp(`^  ${code}  .*${words}`, 'm'), String(code));
  }
});

test('COMMAND --help prints that command\'s usage', async () => {
  const r = await run(['create', '--help']);
  assert.equal(r.exitCode, 0);
  assert.match(r.stdout, /^Usage: vmtui create NAME \[--kernel PATH\]/);
  assert.match(r.stdout, /--sparse/);
});

test('usage mistakes in VM commands exit 2 before any helper starts', async () => {
  const env = { ...process.env, VMTUI_HELPER: '/nonexistent/vmtui-helper' };
  for (const args of [['start'], ['start', 'a', 'b'], ['stop', 'a', '--timeout', 'soon'], ['create', 'a', '--kernel', 'k', '--memory', '2x'], ['delete', 'a'], ['start', 'a', '--wait', 'sometime']]) {
    const r = await run(args, env);
    assert.equal(r.exitCode, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^vmtui: .+\.\n?$/s);
  }
});

test('an unknown command or flag is a sentence on stderr and status 2', async () => {
  for (const args of [['frobnicate'], ['--frobnicate'], ['host', '--yaml']]) {
    const r = await run(args);
    assert.equal(r.exitCode, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^vmtui: .+\.\n?$/);
  }
});

test('a missing helper is a sentence on stderr and status 5', async () => {
  for (const args of [['host'], ['list']]) {
    const r = await run(args, { ...process.env, VMTUI_HELPER: '/nonexistent/vmtui-helper' });
    assert.equal(r.exitCode, 5, args.join(' '));
    assert.match(r.stderr, /VMTUI_HELPER names '\/nonexistent\/vmtui-helper'.*build-helper\.sh/);
  }
});

test('the UI refuses to start without a terminal', async () => {
  const r = await run([]);
  assert.equal(r.exitCode, 2);
  assert.match(r.stderr, /needs a terminal/);
});
