// Disk sizes must be whole 512-byte sectors: checked with sizes that are multiples of 512 but not
// of larger blocks (1536, 2560), and sizes that are not (256, 1000), so a rule of another block
// size cannot pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/format/usageError.js';
import { parseSize, requireSectorMultiple } from '../../src/format/sizes.js';

test('whole sectors pass unchanged', () => {
  for (const bytes of [512, 1024, 1536, 2560, 4096, 4608, 1_073_741_824]) {
    assert.equal(requireSectorMultiple(bytes, `${bytes}B`, '--disk'), bytes);
  }
  assert.equal(requireSectorMultiple(parseSize('1.5K', '--disk'), '1.5K', '--disk'), 1536);
});

test('a part sector is refused with a sentence naming the option and the text typed', () => {
  for (const bytes of [1, 256, 511, 513, 768, 1000, 4097]) {
    assert.throws(() => requireSectorMultiple(bytes, `${bytes}B`, '--disk'), UsageError, String(bytes));
  }
  assert.throws(() => requireSectorMultiple(1000, '1000B', '--disk'), {
    message: '--disk 1000B is not a whole number of 512-byte sectors; round it, as in 20G.',
  });
});

test('every unit and suffix, written out in bytes', () => {
  const table: Array<[string, number]> = [
    ['1B', 1],
    ['1b', 1],
    ['3k', 3072],
    ['3KiB', 3072],
    ['3kb', 3072],
    ['3M', 3_145_728],
    ['3mib', 3_145_728],
    ['3G', 3_221_225_472],
    ['3GB', 3_221_225_472],
    ['3T', 3_298_534_883_328],
    ['0.5K', 512],
    ['1.25M', 1_310_720],
    ['1.0001K', 1024],
  ];
  for (const [text, bytes] of table) assert.equal(parseSize(text, '--disk'), bytes, text);
});

test('the sentences for a size that is not one', () => {
  const message = (text: string) => {
    try {
      parseSize(text, '--memory');
    } catch (error) {
      assert.ok(error instanceof UsageError);
      return error.message;
    }
    return 'accepted';
  };
  assert.equal(message('2x'), "'2x' is not a size for --memory; write a number and a unit, as in 512M, 2G or 20GiB.");
  assert.equal(message('2iB'), "'2iB' is not a size for --memory; write a number and a unit, as in 512M, 2G or 20GiB.");
  assert.equal(message('2'), "'2' has no unit for --memory; write 2M or 2G (or 2B for bytes).");
  assert.equal(message('0.4B'), "--memory must be more than zero; '0.4B' is not.");
  assert.equal(message('0M'), "--memory must be more than zero; '0M' is not.");
  assert.equal(message('9000000T'), "'9000000T' is too large for --memory.");
});

test('CPU counts and seconds, written out', async () => {
  const { parseCount, parseSeconds } = await import('../../src/format/sizes.js');
  assert.equal(parseCount('1', '--cpus'), 1);
  assert.equal(parseCount('12', '--cpus'), 12);
  assert.equal(parseCount(' 3 ', '--cpus'), 3);
  for (const bad of ['0', '-1', '1.5', 'two', '', '1 2']) {
    assert.throws(() => parseCount(bad, '--cpus'), { message: `'${bad}' is not a CPU count for --cpus; write a whole number such as 2.` }, bad);
  }
  assert.equal(parseSeconds('1', '--timeout'), 1000);
  assert.equal(parseSeconds('0.25', '--timeout'), 250);
  assert.equal(parseSeconds(' 12.5 ', '--timeout'), 12_500);
  for (const bad of ['0', '0.0', '-1', '.5', '5.', '1e3', 'x5', '5x']) {
    assert.throws(() => parseSeconds(bad, '--timeout'), { message: `'${bad}' is not a number of seconds for --timeout; write one such as 30.` }, bad);
  }
});
