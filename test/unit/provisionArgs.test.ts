// `vmtui create`'s provisioning options: --user, --ssh-key (repeatable, absolute from the cwd),
// --user-data, --no-provision, and what does not go together.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseArgs } from '../../src/commands/args.js';
import type { CommandIO } from '../../src/commands/io.js';
import { createCommand, createParams } from '../../src/commands/vmChange.js';
import { UsageError } from '../../src/format/usageError.js';

function fakeIO(cwd: string): CommandIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: { isTTY: false } as CommandIO['stdin'],
    cwd,
    clientFactory: () => Promise.reject(new Error('no helper in unit tests')),
  };
}

test('create: --user, every --ssh-key and --user-data reach vm/create with absolute paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vmtui-provision-'));
  try {
    for (const f of ['a.pub', 'b.pub', 'user-data', 'disk.raw']) writeFileSync(join(dir, f), 'x');
    const io = fakeIO(dir);
    const args = parseArgs(createCommand.spec, ['web', '--image', 'disk.raw', '--user', 'alice', '--ssh-key', 'a.pub', '--ssh-key', './b.pub', '--user-data', 'user-data']);
    assert.deepStrictEqual(createParams(args, io), {
      name: 'web',
      image: join(dir, 'disk.raw'),
      user: 'alice',
      sshKeyFiles: [join(dir, 'a.pub'), join(dir, 'b.pub')],
      userData: join(dir, 'user-data'),
    });
    assert.deepStrictEqual(createParams(parseArgs(createCommand.spec, ['web', '--image', 'disk.raw', '--no-provision']), io),
      { name: 'web', image: join(dir, 'disk.raw'), provision: false });
    assert.throws(() => createParams(parseArgs(createCommand.spec, ['web', '--image', 'disk.raw', '--no-provision', '--user', 'x']), io),
      (e: unknown) => e instanceof UsageError && /--no-provision/.test(e.message));
    assert.throws(() => createParams(parseArgs(createCommand.spec, ['web', '--image', 'disk.raw', '--ssh-key', 'missing.pub']), io),
      (e: unknown) => e instanceof Error && /missing\.pub/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
