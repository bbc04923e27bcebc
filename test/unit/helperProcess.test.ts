// Locating the helper, without running it.
import assert from 'node:assert/strict';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { HelperNotFoundError } from '../../src/rpc/errors.js';
import { helperLogPath, locateHelper, vmtuiHome } from '../../src/rpc/helperProcess.js';
import { withTempFolder } from '../helpers/home.js';

const withDir = (run: (dir: string) => Promise<void>) => withTempFolder('locate', run);

async function executable(path: string) {
  await writeFile(path, '#!/bin/sh\n');
  await chmod(path, 0o755);
}

test('VMTUI_HELPER wins over the repository build and PATH', () =>
  withDir(async (dir) => {
    const helper = join(dir, 'my-helper');
    await executable(helper);
    assert.equal(locateHelper({ VMTUI_HELPER: helper, PATH: '' }, join(dir, 'repo')), helper);
    await mkdir(join(dir, 'bin'));
    await executable(join(dir, 'bin', 'named-helper'));
    assert.equal(locateHelper({ VMTUI_HELPER: 'named-helper', PATH: join(dir, 'bin') }, dir), join(dir, 'bin', 'named-helper'));
  }));

test('a VMTUI_HELPER that is not executable is an error, not a silent fallback', () =>
  withDir(async (dir) => {
    await writeFile(join(dir, 'plain'), '');
    assert.throws(() => locateHelper({ VMTUI_HELPER: join(dir, 'plain'), PATH: '' }, dir), /VMTUI_HELPER names .*plain/);
  }));

test('the repository build comes before PATH', () =>
  withDir(async (dir) => {
    await mkdir(join(dir, 'helper', '.build'), { recursive: true });
    await executable(join(dir, 'helper', '.build', 'vmtui-helper'));
    await mkdir(join(dir, 'bin'));
    await executable(join(dir, 'bin', 'vmtui-helper'));
    assert.equal(locateHelper({ PATH: join(dir, 'bin') }, dir), join(dir, 'helper', '.build', 'vmtui-helper'));
    await rm(join(dir, 'helper'), { recursive: true });
    assert.equal(locateHelper({ PATH: join(dir, 'bin') }, dir), join(dir, 'bin', 'vmtui-helper'));
  }));

test('no helper anywhere says how to build it', () =>
  withDir(async (dir) => {
    assert.throws(
      () => locateHelper({ PATH: dir }, dir),
      (error: unknown) =>
        error instanceof HelperNotFoundError && /bash scripts\/build-helper\.sh/.test(error.message),
    );
  }));

test('VMTUI_HOME and the log path', () => {
  assert.equal(vmtuiHome({ VMTUI_HOME: '/srv/vm' }), '/srv/vm');
  assert.match(vmtuiHome({}), /\.vmtui$/);
  assert.equal(helperLogPath('/h', new Date('2025-03-04T10:00:00Z')), '/h/logs/helper-2025-03-04.log');
});
