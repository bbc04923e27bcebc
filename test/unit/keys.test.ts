import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Key } from 'ink';
import { Command, commandForKey, footerHints, helpEntries, keyMap, sequenceIndex, type KeyContext } from '../../src/ui/keys.js';

export const noKey: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
  home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
  backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

test('dashboard keys map to their commands', () => {
  assert.equal(commandForKey('?', noKey), Command.ToggleHelp);
  assert.equal(commandForKey('q', noKey), Command.Quit);
  assert.equal(commandForKey('c', { ...noKey, ctrl: true }), Command.Quit);
  assert.equal(commandForKey('c', noKey), Command.Console);
  assert.equal(commandForKey('', { ...noKey, return: true }), Command.Details);
  assert.equal(commandForKey('/', noKey), Command.Filter);
  assert.equal(commandForKey('o', noKey), Command.SortNext);
  assert.equal(commandForKey('O', { ...noKey, shift: true }), Command.SortReverse);
  assert.equal(commandForKey('', { ...noKey, escape: true }), Command.ClearFilter);
  assert.equal(commandForKey('s', noKey), Command.Start);
  assert.equal(commandForKey('x', noKey), Command.Stop);
  assert.equal(commandForKey('p', noKey), Command.PauseResume);
  assert.equal(commandForKey('d', noKey), Command.Delete);
  assert.equal(commandForKey('k', noKey), Command.SelectUp);
  assert.equal(commandForKey('', { ...noKey, upArrow: true }), Command.SelectUp);
  assert.equal(commandForKey('j', noKey), Command.SelectDown);
  assert.equal(commandForKey('', { ...noKey, downArrow: true }), Command.SelectDown);
  assert.equal(commandForKey('q', { ...noKey, ctrl: true }), undefined);
  assert.equal(commandForKey('n', noKey), Command.NewVm);
});

test('in the wizard, letters are text: only Enter, Esc, Tab, arrows and Ctrl-C are commands', () => {
  for (const letter of ['q', 'n', 's', 'y', 'd', '?', 'j', 'k']) assert.equal(commandForKey(letter, noKey, 'wizard'), undefined, letter);
  assert.equal(commandForKey('', { ...noKey, return: true }, 'wizard'), Command.WizardNext);
  assert.equal(commandForKey('', { ...noKey, escape: true }, 'wizard'), Command.WizardBack);
  assert.equal(commandForKey('', { ...noKey, tab: true }, 'wizard'), Command.WizardTab);
  assert.equal(commandForKey('', { ...noKey, upArrow: true }, 'wizard'), Command.WizardMove);
  assert.equal(commandForKey('', { ...noKey, downArrow: true }, 'wizard'), Command.WizardMove);
  assert.equal(commandForKey('c', { ...noKey, ctrl: true }, 'wizard'), Command.WizardLeave);
});

test('the filter and detail screens read their own keys', () => {
  assert.equal(commandForKey('', { ...noKey, return: true }, 'filter'), Command.KeepFilter);
  assert.equal(commandForKey('', { ...noKey, escape: true }, 'filter'), Command.CancelFilter);
  assert.equal(commandForKey('c', { ...noKey, ctrl: true }, 'filter'), Command.CancelFilter);
  for (const letter of ['q', 's', 'o', 'j', 'c']) assert.equal(commandForKey(letter, noKey, 'filter'), undefined, letter);
  assert.equal(commandForKey('c', noKey, 'detail'), Command.Console);
  assert.equal(commandForKey('', { ...noKey, escape: true }, 'detail'), Command.Back);
  assert.equal(commandForKey('q', noKey, 'detail'), Command.Quit);
  assert.equal(commandForKey('?', noKey, 'detail'), Command.ToggleHelp);
  assert.equal(commandForKey('s', noKey, 'detail'), undefined);
});

test('each context reads only its own keys', () => {
  assert.equal(commandForKey('', { ...noKey, escape: true }, 'help'), Command.CloseHelp);
  assert.equal(commandForKey('s', noKey, 'help'), undefined);
  assert.equal(commandForKey('y', noKey, 'confirm'), Command.Confirm);
  assert.equal(commandForKey('', { ...noKey, return: true }, 'confirm'), Command.Confirm);
  assert.equal(commandForKey('n', noKey, 'confirm'), Command.Cancel);
  assert.equal(commandForKey('q', noKey, 'confirm'), undefined);
  // While typing a name, letters are text: q must not quit, d must not delete.
  for (const letter of ['q', 'd', 's', 'y', 'n', 'x']) assert.equal(commandForKey(letter, noKey, 'prompt'), undefined, letter);
  assert.equal(commandForKey('', { ...noKey, return: true }, 'prompt'), Command.Submit);
  assert.equal(commandForKey('', { ...noKey, escape: true }, 'prompt'), Command.CancelPrompt);
  assert.equal(commandForKey(']', { ...noKey, ctrl: true }, 'console'), Command.Detach);
  assert.equal(commandForKey('q', noKey, 'console'), undefined);
});

test('the console finds Ctrl-] in raw input', () => {
  assert.equal(sequenceIndex(Command.Detach, 'ls\r'), -1);
  assert.equal(sequenceIndex(Command.Detach, 'ab\u001Dcd'), 2);
  assert.equal(sequenceIndex(Command.Quit, 'q'), -1);
});

test('every command has a context, a binding and a description', () => {
  for (const command of Object.values(Command)) {
    const info = keyMap[command];
    assert.ok(info.contexts.length > 0, command);
    assert.ok(info.bindings.length > 0, command);
    assert.ok(info.description.length > 0, command);
  }
});

test('no key means two things in one context', () => {
  const contexts: KeyContext[] = ['dashboard', 'help', 'confirm', 'prompt', 'console', 'filter', 'detail', 'snapshots', 'input', 'wizard'];
  for (const context of contexts) {
    const seen = new Map<string, Command>();
    for (const [command, info] of Object.entries(keyMap) as [Command, (typeof keyMap)[Command]][]) {
      if (!info.contexts.includes(context)) continue;
      for (const b of info.bindings) {
        const id = `${b.special ?? ''}|${b.ctrl ? 'ctrl' : ''}|${b.input ?? ''}`;
        assert.equal(seen.get(id), undefined, `${context}: ${b.label} is bound to ${seen.get(id)} and ${command}`);
        seen.set(id, command);
      }
    }
  }
});

test('footer and help come from the key map', () => {
  assert.deepStrictEqual(footerHints(), [
    { keys: 's', text: 'start' },
    { keys: 'x', text: 'stop' },
    { keys: 'p', text: 'pause' },
    { keys: 'd', text: 'delete' },
    { keys: 'Enter', text: 'details' },
    { keys: 'c', text: 'console' },
    { keys: '/', text: 'filter' },
    { keys: 'o', text: 'sort' },
    { keys: 'n', text: 'new' },
    { keys: 'z', text: 'suspend' },
    { keys: '?', text: 'help' },
    { keys: 'q', text: 'quit' },
  ]);
  assert.deepStrictEqual(footerHints('console'), [{ keys: 'Ctrl-]', text: 'leave the console' }]);
  assert.deepStrictEqual(footerHints('wizard').map((h) => `${h.keys} ${h.text}`), ['Enter next', 'Esc back', 'Tab complete', 'Ctrl-C leave']);
  assert.deepStrictEqual(footerHints('prompt'), [{ keys: 'Enter', text: 'delete' }, { keys: 'Esc', text: 'cancel' }]);
  const help = helpEntries();
  assert.equal(help.length, Object.keys(keyMap).length);
  assert.ok(help.some((e) => e.keys === 'q, Ctrl-C' && e.text.startsWith('Quit')));
  assert.ok(help.some((e) => e.keys === '↑, k' && e.text === 'Select the VM above'));
  // The wizard's keys are in its own footer, in no screen's help.
  for (const screen of ['dashboard', 'snapshots'] as const) {
    assert.equal(helpEntries(screen).some((e) => e.text.startsWith('Wizard:')), false, screen);
  }
  assert.ok(helpEntries('dashboard').some((e) => e.keys === 'n' && e.text.startsWith('New VM')));
});

test('S opens snapshots and C clones from the dashboard; the snapshots screen reads its own keys', () => {
  assert.equal(commandForKey('S', { ...noKey, shift: true }), Command.Snapshots);
  assert.equal(commandForKey('C', { ...noKey, shift: true }), Command.Clone);
  assert.equal(commandForKey('s', noKey), Command.Start, 'lower case stays start');
  assert.equal(commandForKey('n', noKey, 'snapshots'), Command.SnapshotCreate);
  assert.equal(commandForKey('c', noKey, 'snapshots'), Command.SnapshotCreate);
  assert.equal(commandForKey('r', noKey, 'snapshots'), Command.SnapshotRestore);
  assert.equal(commandForKey('d', noKey, 'snapshots'), Command.SnapshotDelete);
  assert.equal(commandForKey('', { ...noKey, escape: true }, 'snapshots'), Command.Back);
  assert.equal(commandForKey('j', noKey, 'snapshots'), Command.SnapshotDown);
  assert.equal(commandForKey('q', noKey, 'snapshots'), Command.Quit);
  assert.equal(commandForKey('s', noKey, 'snapshots'), undefined, 'no VM power keys on the snapshots screen');
  // While typing a snapshot name or note, letters are text.
  for (const letter of ['q', 'd', 'r', 'n', 'y', 'S']) assert.equal(commandForKey(letter, noKey, 'input'), undefined, letter);
  assert.equal(commandForKey('', { ...noKey, return: true }, 'input'), Command.InputSubmit);
  assert.equal(commandForKey('c', { ...noKey, ctrl: true }, 'input'), Command.InputCancel);
  assert.deepStrictEqual(footerHints('snapshots'), [
    { keys: 'Esc', text: 'back' },
    { keys: '?', text: 'help' },
    { keys: 'q', text: 'quit' },
    { keys: 'n', text: 'new' },
    { keys: 'r', text: 'restore' },
    { keys: 'd', text: 'delete' },
  ]);
  assert.deepStrictEqual(footerHints('input'), [{ keys: 'Enter', text: 'ok' }, { keys: 'Esc', text: 'cancel' }]);
});

test("each screen's help lists its own keys", () => {
  const dashboard = helpEntries('dashboard').map((e) => e.text);
  assert.ok(dashboard.includes("Open the selected VM's snapshots"));
  assert.ok(dashboard.includes('Clone the selected VM (asks for the new name)'));
  assert.ok(!dashboard.some((t) => t.startsWith('Snapshots:')), 'the snapshots screen keys are in its own help');
  const snapshots = helpEntries('snapshots').map((e) => e.keys);
  assert.deepStrictEqual(snapshots, ['?', 'q, Ctrl-C', 'Esc', '↑, k', '↓, j', 'n, c', 'r', 'd', 'Enter', 'Esc, Ctrl-C']);
});
