// Disk sizes must be whole 512-byte sectors: checked with sizes that are multiples of 512 but not
// of larger blocks (1536, 2560), and sizes that are not (256, 1000), so a rule of another block
// size cannot pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/commands/args.js';
import { parseSize, requireSectorMultiple } from '../../src/commands/sizes.js';

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
