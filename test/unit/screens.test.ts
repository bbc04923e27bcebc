// The screen stack: each action's result written out, and the keys (footer, input) it implies.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findScreen, helpScreenOf, initialScreens, keyContextOf, screensReducer, topScreen, type Screen, type ScreenAction } from '../../src/ui/screens.js';

const run = (...actions: ScreenAction[]): Screen[] => actions.reduce(screensReducer, initialScreens);

test('push opens over the top, pop closes the top, and the dashboard is never closed', () => {
  const details = run({ type: 'push', screen: { kind: 'detail', name: 'dev' } });
  assert.deepStrictEqual(details, [{ kind: 'dashboard', context: 'dashboard' }, { kind: 'detail', name: 'dev' }]);
  const console = screensReducer(details, { type: 'push', screen: { kind: 'console', name: 'dev' } });
  assert.deepStrictEqual(topScreen(console), { kind: 'console', name: 'dev' });
  assert.deepStrictEqual(screensReducer(console, { type: 'pop' }), details);
  assert.deepStrictEqual(run({ type: 'pop' }, { type: 'pop' }), initialScreens);
});

test('replace hands the top over (the wizard to the new VM console); close takes a kind away wherever it is', () => {
  const wizard = run({ type: 'push', screen: { kind: 'wizard', context: 'wizard' } });
  const console = screensReducer(wizard, { type: 'replace', screen: { kind: 'console', name: 'new' } });
  assert.deepStrictEqual(console, [{ kind: 'dashboard', context: 'dashboard' }, { kind: 'console', name: 'new' }]);
  // On the dashboard alone, replace opens the screen rather than closing the dashboard.
  assert.equal(run({ type: 'replace', screen: { kind: 'clone' } }).length, 2);
  const under = run({ type: 'push', screen: { kind: 'detail', name: 'dev' } }, { type: 'push', screen: { kind: 'console', name: 'dev' } }, { type: 'close', kind: 'detail' });
  assert.deepStrictEqual(under, [{ kind: 'dashboard', context: 'dashboard' }, { kind: 'console', name: 'dev' }]);
  assert.equal(screensReducer(initialScreens, { type: 'close', kind: 'dashboard' }), initialScreens);
  assert.equal(screensReducer(initialScreens, { type: 'close', kind: 'help' }), initialScreens, 'nothing closed: the same stack');
});

test('the key context is the top screen’s: a screen’s own mode, the clone dialog’s input, help, details', () => {
  assert.equal(keyContextOf(initialScreens), 'dashboard');
  assert.equal(keyContextOf(run({ type: 'context', kind: 'dashboard', context: 'filter' })), 'filter');
  const snaps = run({ type: 'push', screen: { kind: 'snapshots', name: 'dev', context: 'snapshots' } }, { type: 'context', kind: 'snapshots', context: 'input' });
  assert.equal(keyContextOf(snaps), 'input');
  // The dashboard under it keeps its own mode.
  assert.deepStrictEqual(snaps[0], { kind: 'dashboard', context: 'dashboard' });
  assert.equal(keyContextOf(run({ type: 'push', screen: { kind: 'clone' } })), 'input');
  assert.equal(keyContextOf(run({ type: 'push', screen: { kind: 'detail', name: 'dev' } })), 'detail');
  assert.equal(keyContextOf(run({ type: 'push', screen: { kind: 'wizard', context: 'confirm' } })), 'confirm');
  assert.equal(keyContextOf(run({ type: 'push', screen: { kind: 'screen', name: 'dev' } })), 'screen');
  const unchanged = run({ type: 'context', kind: 'dashboard', context: 'dashboard' });
  assert.equal(unchanged, initialScreens, 'the same context: the same stack, no render');
});

test('the help scrolls within its length and lists the keys of the screen under it', () => {
  const help = run({ type: 'push', screen: { kind: 'help', offset: 0 } });
  assert.equal(helpScreenOf(help), 'dashboard');
  assert.deepStrictEqual(topScreen(screensReducer(help, { type: 'scrollHelp', by: 5, max: 3 })), { kind: 'help', offset: 3 });
  assert.deepStrictEqual(topScreen(screensReducer(help, { type: 'scrollHelp', by: -1, max: 3 })), { kind: 'help', offset: 0 });
  assert.equal(screensReducer(initialScreens, { type: 'scrollHelp', by: 1, max: 3 }), initialScreens, 'no help: nothing scrolls');
  const overSnapshots = run({ type: 'push', screen: { kind: 'snapshots', name: 'dev', context: 'snapshots' } }, { type: 'push', screen: { kind: 'help', offset: 0 } });
  assert.equal(helpScreenOf(overSnapshots), 'snapshots');
  assert.equal(findScreen(overSnapshots, 'snapshots')?.name, 'dev');
  assert.equal(findScreen(overSnapshots, 'detail'), undefined);
});
