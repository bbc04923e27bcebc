// The decoder combinators every protocol type is read with: values through, and each wrong value
// refused with a sentence naming the field, what it must be and what it is.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { arrayOf, bool, DecodeError, nul, nullable, num, object, oneOf, optional, str } from '../../src/rpc/decode.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof DecodeError, String(error));
    return [error.path, error.message];
  }
  assert.fail('the value was accepted');
};

test('scalars pass through; a wrong one says what it is', () => {
  assert.equal(str('x', 'a'), 'x');
  assert.equal(str('', 'a'), '');
  assert.equal(num(0, 'a'), 0);
  assert.equal(num(-2.5, 'a'), -2.5);
  assert.equal(bool(false, 'a'), false);
  assert.equal(nul(null, 'a'), null);
  assert.deepStrictEqual(refusal(() => str(3, 'vm.name')), ['vm.name', 'vm.name must be a string, but it is number 3.']);
  assert.deepStrictEqual(refusal(() => str(undefined, 'vm.name')), ['vm.name', 'vm.name must be a string, but it is missing.']);
  assert.deepStrictEqual(refusal(() => num(Number.NaN, 'n')), ['n', 'n must be a number, but it is number NaN.']);
  assert.deepStrictEqual(refusal(() => num(Number.POSITIVE_INFINITY, 'n')), ['n', 'n must be a number, but it is number Infinity.']);
  assert.deepStrictEqual(refusal(() => num('1', 'n')), ['n', 'n must be a number, but it is the string "1".']);
  assert.deepStrictEqual(refusal(() => bool('true', 'b')), ['b', 'b must be true or false, but it is the string "true".']);
  assert.deepStrictEqual(refusal(() => bool(0, 'b')), ['b', 'b must be true or false, but it is number 0.']);
  assert.deepStrictEqual(refusal(() => nul(0, 'z')), ['z', 'z must be null, but it is number 0.']);
  assert.deepStrictEqual(refusal(() => nul(undefined, 'z')), ['z', 'z must be null, but it is missing.']);
  assert.deepStrictEqual(refusal(() => str(null, '')), ['', 'the value must be a string, but it is null.']);
  assert.deepStrictEqual(refusal(() => str([], 'l')), ['l', 'l must be a string, but it is an array.']);
  assert.deepStrictEqual(refusal(() => str({}, 'o')), ['o', 'o must be a string, but it is an object.']);
  // A long string is shown by its first 40 characters.
  assert.deepStrictEqual(refusal(() => num('x'.repeat(50), 'n')), ['n', `n must be a number, but it is the string "${'x'.repeat(40)}".`]);
});

test('oneOf, arrayOf, nullable, optional', () => {
  const state = oneOf('running', 'stopped', 3);
  assert.equal(state('running', 's'), 'running');
  assert.equal(state(3, 's'), 3);
  assert.deepStrictEqual(refusal(() => state('paused', 's')), ['s', 's must be one of "running", "stopped", 3, but it is the string "paused".']);
  assert.deepStrictEqual(refusal(() => state('3', 's')), ['s', 's must be one of "running", "stopped", 3, but it is the string "3".']);
  const names = arrayOf(str);
  assert.deepStrictEqual(names([], 'n'), []);
  assert.deepStrictEqual(names(['a', 'b'], 'n'), ['a', 'b']);
  assert.deepStrictEqual(refusal(() => names(['a', 2], 'vms')), ['vms[1]', 'vms[1] must be a string, but it is number 2.']);
  assert.deepStrictEqual(refusal(() => names({ length: 0 }, 'vms')), ['vms', 'vms must be an array, but it is an object.']);
  assert.equal(nullable(num)(null, 'n'), null);
  assert.equal(nullable(num)(4, 'n'), 4);
  assert.deepStrictEqual(refusal(() => nullable(num)(undefined, 'n')), ['n', 'n must be a number, but it is missing.']);
  assert.equal(optional(num)(undefined, 'n'), undefined);
  assert.equal(optional(num)(5, 'n'), 5);
  assert.deepStrictEqual(refusal(() => optional(num)(null, 'n')), ['n', 'n must be a number, but it is null.']);
});

test('object: known fields only, absent optional fields left out, nested paths', () => {
  const vm = object<{ name: string; pid?: number; tags: string[] }>({ name: str, pid: optional(num), tags: arrayOf(str) });
  assert.deepStrictEqual(vm({ name: 'dev', tags: [], extra: 1 }, ''), { name: 'dev', tags: [] });
  assert.ok(!('pid' in vm({ name: 'dev', tags: [] }, '')), 'an absent optional field is not a key');
  assert.deepStrictEqual(vm({ name: 'dev', pid: 7, tags: ['a'] }, 'result'), { name: 'dev', pid: 7, tags: ['a'] });
  assert.deepStrictEqual(refusal(() => vm({ name: 'dev', tags: [1] }, 'result')), ['result.tags[0]', 'result.tags[0] must be a string, but it is number 1.']);
  assert.deepStrictEqual(refusal(() => vm({ tags: [] }, '')), ['name', 'name must be a string, but it is missing.']);
  for (const [value, what] of [[null, 'null'], [[], 'an array'], ['dev', 'the string "dev"'], [undefined, 'missing']] as const) {
    assert.deepStrictEqual(refusal(() => vm(value, 'result')), ['result', `result must be an object, but it is ${what}.`]);
  }
});
