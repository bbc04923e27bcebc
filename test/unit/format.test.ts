import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeHostInfo, decodeInitializeResult } from '../../src/rpc/protocol.js';
import { clampLines, compareText, formatGiB, hostFacts, joinToWidth, plural, truncate, wrapWords } from '../../src/format/text.js';
import { themeFor, plainTheme, colorTheme } from '../../src/ui/theme.js';
import { VMTUI_VERSION } from '../../src/version.js';

const fixture = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/protocol/${file}`, import.meta.url), 'utf8')).result;

test('formatGiB', () => {
  assert.equal(formatGiB(25769803776), '24.0 GiB');
  assert.equal(formatGiB(1024 ** 3 * 1.5), '1.5 GiB');
  assert.equal(formatGiB(1024 ** 3 * 512), '512 GiB');
  assert.equal(formatGiB(-5), '0.0 GiB');
});

test('plural and truncate', () => {
  assert.equal(plural(1, 'core'), '1 core');
  assert.equal(plural(10, 'core'), '10 cores');
  assert.equal(truncate('abcdef', 4), 'abc…');
  assert.equal(truncate('abc', 4), 'abc');
  assert.equal(truncate('abc', 0), '');
});

test('joinToWidth drops parts that would overflow, never cuts one in half', () => {
  assert.equal(joinToWidth(['aaaa', 'bbbb', 'cccc'], 14), 'aaaa · bbbb');
  assert.equal(joinToWidth(['aaaa', 'bbbb'], 100), 'aaaa · bbbb');
  assert.equal(joinToWidth(['a long first part'], 8), 'a long …');
});

test('host facts fit 80 columns for the fixtures', () => {
  const init = decodeInitializeResult(fixture('initialize.result.json'), 'result');
  for (const file of ['host-info.result.json', 'host-info-linux.result.json']) {
    const host = decodeHostInfo(fixture(file), 'result');
    const line = joinToWidth(hostFacts(host, init), 80);
    assert.ok(line.length <= 80, line);
    assert.ok(line.includes(`${host.cpuCores} cores`), line);
    assert.ok(line.includes(formatGiB(host.memoryBytes)), line);
  }
});

test('NO_COLOR turns colors off only when set and not empty', () => {
  assert.equal(themeFor({ NO_COLOR: '1' }), plainTheme);
  assert.equal(themeFor({ NO_COLOR: '' }), colorTheme);
  assert.equal(themeFor({}), colorTheme);
  assert.ok(Object.values(plainTheme).every((c) => c === undefined));
});

test('the version constant matches package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
  assert.equal(VMTUI_VERSION, pkg.version);
});

test('wrapWords breaks at spaces and never leaves a line over the width', () => {
  const note = 'KVM is not usable here (/dev/kvm does not open); guests run under TCG emulation, slowly.';
  assert.deepStrictEqual(wrapWords(note, 80), [
    'KVM is not usable here (/dev/kvm does not open); guests run under TCG emulation,',
    'slowly.',
  ]);
  assert.deepStrictEqual(wrapWords('abcdefgh ij', 4), ['abc…', 'ij']);
  assert.deepStrictEqual(wrapWords('', 10), []);
});

test('clampLines keeps the first lines and marks the cut', () => {
  assert.deepStrictEqual(clampLines(['a', 'b', 'c'], 2, 10), ['a', 'b…']);
  assert.deepStrictEqual(clampLines(['a', 'b'], 2, 10), ['a', 'b']);
  assert.deepStrictEqual(clampLines(['a', 'bbbb', 'c'], 2, 4), ['a', 'bbb…']);
});

test('compareText orders names without regard to case, digits before letters, and never calls two names equal', () => {
  const names = ['web-2', 'Alpha', 'beta', 'alpha', 'web_1', 'web.3', '10', '9', 'ALPHA', 'b'];
  assert.deepEqual([...names].sort(compareText), ['10', '9', 'ALPHA', 'Alpha', 'alpha', 'b', 'beta', 'web-2', 'web.3', 'web_1']);
  assert.equal(compareText('vm', 'vm'), 0);
  assert.ok(compareText('vm', 'vm1') < 0 && compareText('vm1', 'vm') > 0);
  assert.ok(compareText('é', 'z') > 0, 'past ASCII, by UTF-16 units');
});
