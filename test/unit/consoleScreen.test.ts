import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConsoleScreen } from '../../src/ui/consoleScreen.js';

test('lines, CR LF and the cursor line', () => {
  const s = new ConsoleScreen();
  s.write('one\r\ntwo\r\nthr');
  assert.deepStrictEqual(s.view(10, 80), ['one', 'two', 'thr']);
  s.write('ee\r\n');
  assert.deepStrictEqual(s.view(10, 80), ['one', 'two', 'three', '']);
  assert.deepStrictEqual(s.view(2, 80), ['three', '']);
});

test('CR overwrites, backspace steps back, tabs go to the next stop', () => {
  const s = new ConsoleScreen();
  s.write('50%\r75%\r100%\n');
  s.write('abc\b\bX\n');
  s.write('a\tb\n');
  assert.deepStrictEqual(s.view(4, 80), ['100%', 'aXc', 'a       b', '']);
});

test('escape sequences are dropped, even split across writes', () => {
  const s = new ConsoleScreen();
  s.write('\u001B[1;32mgreen\u001B[0m \u001B[');
  s.write('2Kok\u001B]0;title\u0007!\n');
  assert.deepStrictEqual(s.view(2, 80), ['green ok!', '']);
});

test('long lines wrap to the width and only the last rows are kept', () => {
  const s = new ConsoleScreen(3);
  s.write('1\n2\n3\n4\nabcdefghij');
  assert.deepStrictEqual(s.view(10, 4), ['3', '4', 'abcd', 'efgh', 'ij']);
  assert.deepStrictEqual(s.view(2, 4), ['efgh', 'ij']);
});

test('UTF-8 text passes through', () => {
  const s = new ConsoleScreen();
  s.write('ECHO: héllo ✓\n');
  assert.deepStrictEqual(s.view(2, 80), ['ECHO: héllo ✓', '']);
});
