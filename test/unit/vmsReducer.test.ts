import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeVMListResult } from '../../src/rpc/protocol.js';
import { initialVmsState, stateChangeMessage, vmsReducer, type VmsState } from '../../src/ui/hooks/useVms.js';

const list = decodeVMListResult(
  JSON.parse(readFileSync(new URL('../../../test/fixtures/protocol/vm-list.result.json', import.meta.url), 'utf8')).result,
  'result',
);
const time = '2025-01-01T00:00:00Z';

function loaded(): VmsState {
  return vmsReducer(initialVmsState, { type: 'loaded', vms: [...list.vms].reverse(), problems: list.problems });
}

test('loaded VMs are sorted by name and keep their problems', () => {
  const state = loaded();
  assert.equal(state.status, 'ready');
  assert.deepStrictEqual(state.vms.map((vm) => vm.name), ['dev', 'installer']);
  assert.equal(state.problems.length, 1);
});

test('a notification changes the state at once; the re-fetched VM replaces it', () => {
  let state = vmsReducer(loaded(), { type: 'stateSeen', event: { name: 'dev', state: 'error', reason: 'QEMU died.', time } });
  assert.equal(state.vms[0]?.state, 'error');
  assert.equal(state.vms[0]?.stateReason, 'QEMU died.');
  const fetched = { ...(list.vms[0] as (typeof list.vms)[number]), state: 'stopped' as const };
  state = vmsReducer(state, { type: 'vmUpdated', vm: fetched });
  assert.deepStrictEqual(state.vms[0], fetched);
  state = vmsReducer(state, { type: 'vmUpdated', vm: { ...fetched, name: 'aaa' } });
  assert.deepStrictEqual(state.vms.map((vm) => vm.name), ['aaa', 'dev', 'installer']);
  state = vmsReducer(state, { type: 'stateSeen', event: { name: 'unknown', state: 'running', time } });
  assert.equal(state.vms.length, 3);
});

test('pending requests: a later one (force) is not cleared by the earlier one settling', () => {
  let state = vmsReducer(loaded(), { type: 'pending', name: 'dev', op: 'stopping' });
  state = vmsReducer(state, { type: 'pending', name: 'dev', op: 'forcing off' });
  state = vmsReducer(state, { type: 'settled', name: 'dev', op: 'stopping' });
  assert.deepStrictEqual(state.pending, { dev: 'forcing off' });
  state = vmsReducer(state, { type: 'settled', name: 'dev', op: 'forcing off' });
  assert.deepStrictEqual(state.pending, {});
});

test('removing a VM drops it and its pending request; messages set and clear', () => {
  let state = vmsReducer(loaded(), { type: 'pending', name: 'installer', op: 'deleting' });
  state = vmsReducer(state, { type: 'vmRemoved', name: 'installer' });
  assert.deepStrictEqual(state.vms.map((vm) => vm.name), ['dev']);
  assert.deepStrictEqual(state.pending, {});
  state = vmsReducer(state, { type: 'message', message: { tone: 'error', text: 'No.' } });
  assert.deepStrictEqual(state.message, { tone: 'error', text: 'No.' });
  state = vmsReducer(state, { type: 'message', message: undefined });
  assert.equal('message' in state, false);
});

test('stop-ladder notifications read as sentences', () => {
  assert.match(stateChangeMessage({ name: 'dev', state: 'stopping', step: 'powerButton', time })?.text ?? '', /pressed the power button/);
  assert.match(stateChangeMessage({ name: 'dev', state: 'stopping', step: 'forceQuit', time })?.text ?? '', /forcing it off/);
  assert.deepStrictEqual(stateChangeMessage({ name: 'dev', state: 'error', reason: 'QEMU died.', time }), { tone: 'error', text: "VM 'dev' failed: QEMU died." });
  assert.equal(stateChangeMessage({ name: 'dev', state: 'running', time }), undefined);
});
