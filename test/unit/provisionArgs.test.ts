// `vmtui create`'s provisioning options: --user, --ssh-key (repeatable, absolute from the cwd),
// --user-data, --no-provision, and what does not go together.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseArgs } from '../../src/commands/args.js';
import { createCommand, createParams } from '../../src/commands/vmChange.js';
import { UsageError } from '../../src/format/usageError.js';
import { offlineIO } from '../helpers/commandIO.js';
import { withTempFolder } from '../helpers/home.js';

const fakeIO = offlineIO;

test('create: --user, every --ssh-key and --user-data reach vm/create with absolute paths', async () => {
  await withTempFolder('provision', async (dir) => {
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
  });
});
