// The one text input: which keys type, which erase, and which are not edits at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Key } from 'ink';
import { splitKeys } from '../../src/ui/hooks/useKeys.js';
import { editText, typedText } from '../../src/ui/textInput.js';

const plain: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
} as Key;

test('printable keys type; control characters, DEL, Ctrl and Meta keys do not', () => {
  assert.equal(typedText('a', plain), 'a');
  assert.equal(typedText('é', plain), 'é');
  for (const c of ['\u0000', '\u001B', '\u007F', '\r', '']) assert.equal(typedText(c, plain), undefined, JSON.stringify(c));
  assert.equal(typedText('a', { ...plain, ctrl: true }), undefined);
  assert.equal(typedText('a', { ...plain, meta: true }), undefined);
});

test('editText appends, erases on Backspace or Delete, and says undefined for keys that are not edits', () => {
  assert.equal(editText('ab', 'c', plain), 'abc');
  assert.equal(editText('ab', '', { ...plain, backspace: true }), 'a');
  assert.equal(editText('ab', '', { ...plain, delete: true }), 'a');
  assert.equal(editText('', '', { ...plain, backspace: true }), '');
  assert.equal(editText('ab', '\u007F', plain), undefined, 'DEL as text is no edit (the filter once typed it)');
  assert.equal(editText('ab', '', { ...plain, return: true }), undefined);
});

test('a chunk splits into keys: Enter, Tab and DEL inside it act as those keys', () => {
  const keys = splitKeys('ab\u007F\r\t', plain);
  assert.deepStrictEqual(keys.map(([input]) => input), ['a', 'b', '', '', '']);
  assert.deepStrictEqual(keys.map(([, k]) => [k.backspace, k.return, k.tab]), [
    [false, false, false],
    [false, false, false],
    [true, false, false],
    [false, true, false],
    [false, false, true],
  ]);
  const typed = keys.reduce((text, [input, key]) => editText(text, input, key) ?? text, '');
  assert.equal(typed, 'a');
});
