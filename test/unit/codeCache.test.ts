// The UI script's code cache on disk (src/codeCache.ts): what is kept reads back whole and V8 takes
// it; damage is refused before V8 sees it; nothing is written through a symlink or outside the
// cache; other scripts' caches and dead processes' unfinished files are removed. Real files, real V8.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { codeCachePath, keepCodeCache, readCodeCache } from '../../src/codeCache.js';
import { tempFolder } from '../helpers/home.js';

const root = tempFolder('code-cache');
let n = 0;
/** A fresh home folder (made) for one test. */
const newHome = () => {
  const home = join(root, `home${n++}`);
  mkdirSync(home);
  return home;
};
const source = '(function () { return [1, 2, 3].map((x) => x * 2); })';
const cacheOf = (text: string) => {
  const script = new Script(text);
  (script.runInThisContext() as () => unknown)();
  return script.createCachedData();
};

test('a kept cache reads back whole, and V8 takes it', () => {
  const home = newHome();
  const data = cacheOf(source);
  assert.equal(keepCodeCache(home, 'ui-A.cjs', data), true);
  const read = readCodeCache(home, 'ui-A.cjs');
  assert.deepEqual(read, data);
  const again = new Script(source, { cachedData: read });
  assert.equal(again.cachedDataRejected, false);
  assert.equal(codeCachePath(home, 'ui-A.cjs'), join(home, 'cache', 'ui-code', `ui-A.cjs.${process.version}.code`));
});

const flipped = (bytes: Buffer, at: number) => {
  const copy = Buffer.from(bytes);
  copy.writeUInt8(copy.readUInt8(at) ^ 1, at);
  return copy;
};

test('a missing, short, cut or changed cache reads as none', () => {
  const home = newHome();
  assert.equal(readCodeCache(home, 'ui-A.cjs'), undefined, 'missing');
  keepCodeCache(home, 'ui-A.cjs', cacheOf(source));
  const file = codeCachePath(home, 'ui-A.cjs');
  const whole = readFileSync(file);
  const cases: Array<[string, Buffer]> = [
    ['empty', Buffer.alloc(0)],
    ['shorter than its header', whole.subarray(0, 5)],
    ['cut', whole.subarray(0, whole.length - 1)],
    ['a byte changed in its data', flipped(whole, whole.length - 1)],
    ['a byte changed in its header', flipped(whole, 0)],
  ];
  for (const [what, bytes] of cases) {
    writeFileSync(file, bytes);
    assert.equal(readCodeCache(home, 'ui-A.cjs'), undefined, what);
  }
});

test('keeping a cache replaces other scripts\' caches and dead processes\' unfinished files, and nothing else', () => {
  const home = newHome();
  keepCodeCache(home, 'ui-OLD.cjs', cacheOf(source));
  const folder = join(home, 'cache', 'ui-code');
  const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  writeFileSync(join(folder, `ui-OLD.cjs.v1.code.${ended}.new`), 'unfinished');
  writeFileSync(join(folder, `ui-X.cjs.v1.code.${process.pid}.new`), 'being written by a live process');
  writeFileSync(join(folder, 'notes.txt'), 'not a cache');
  mkdirSync(join(folder, 'a-folder.code'));
  assert.equal(keepCodeCache(home, 'ui-NEW.cjs', cacheOf(source)), true);
  assert.deepEqual(readdirSync(folder).sort(), [
    `ui-NEW.cjs.${process.version}.code`,
    `ui-X.cjs.v1.code.${process.pid}.new`,
    'a-folder.code',
    'notes.txt',
  ].sort());
});

test('nothing is written through a symlinked cache folder, or outside an existing home', () => {
  const elsewhere = join(root, 'elsewhere');
  mkdirSync(elsewhere);
  const linkedCache = newHome();
  symlinkSync(elsewhere, join(linkedCache, 'cache'));
  assert.equal(keepCodeCache(linkedCache, 'ui-A.cjs', cacheOf(source)), false);
  const linkedCodes = newHome();
  mkdirSync(join(linkedCodes, 'cache'));
  symlinkSync(elsewhere, join(linkedCodes, 'cache', 'ui-code'));
  assert.equal(keepCodeCache(linkedCodes, 'ui-A.cjs', cacheOf(source)), false);
  assert.deepEqual(readdirSync(elsewhere), [], 'nothing written where the links point');
  const missing = join(root, 'no-such-home');
  assert.equal(keepCodeCache(missing, 'ui-A.cjs', cacheOf(source)), false);
  assert.equal(existsSync(missing), false, 'vmtui\'s home is not made by its cache');
});

test('a cache file that is a symlink is replaced, and what it pointed at is untouched', () => {
  const home = newHome();
  const target = join(root, 'target-file');
  writeFileSync(target, 'not vmtui\'s');
  mkdirSync(join(home, 'cache', 'ui-code'), { recursive: true });
  symlinkSync(target, codeCachePath(home, 'ui-A.cjs'));
  assert.equal(keepCodeCache(home, 'ui-A.cjs', cacheOf(source)), true);
  assert.equal(readFileSync(target, 'utf8'), 'not vmtui\'s');
  assert.equal(lstatSync(codeCachePath(home, 'ui-A.cjs')).isFile(), true);
  rmSync(target);
});
