import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Key } from 'ink';
import { Command, commandForKey, footerHints, helpEntries, keyMap } from '../../src/ui/keys.js';

const noKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

test('keys map to their commands', () => {
  assert.equal(commandForKey('?', noKey), Command.ToggleHelp);
  assert.equal(commandForKey('q', noKey), Command.Quit);
  assert.equal(commandForKey('c', { ...noKey, ctrl: true }), Command.Quit);
  assert.equal(commandForKey('', { ...noKey, escape: true }), Command.CloseHelp);
  assert.equal(commandForKey('c', noKey), undefined);
  assert.equal(commandForKey('q', { ...noKey, ctrl: true }), undefined);
});

test('every command has a binding and a description', () => {
  for (const command of Object.values(Command)) {
    const info = keyMap[command];
    assert.ok(info.bindings.length > 0, command);
    assert.ok(info.description.length > 0, command);
  }
});

test('footer and help come from the key map', () => {
  assert.deepStrictEqual(footerHints(), [
    { keys: '?', text: 'help' },
    { keys: 'q', text: 'quit' },
  ]);
  const help = helpEntries();
  assert.equal(help.length, Object.keys(keyMap).length);
  assert.ok(help.some((e) => e.keys === 'q, Ctrl-C' && e.text.startsWith('Quit')));
});
