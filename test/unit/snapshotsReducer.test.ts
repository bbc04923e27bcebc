// The snapshots screen's state: each action's result written out, and the sentence for work in flight.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SnapshotListResult } from '../../src/rpc/protocol.js';
import { initialSnapshotsState, pendingText, snapshotsReducer, type SnapshotsState } from '../../src/ui/hooks/useSnapshots.js';

const list: SnapshotListResult = {
  vm: 'dev',
  snapshots: [],
  current: null,
  vmSpace: { logicalBytes: 1, allocatedBytes: 1 },
  snapshotsSpace: { logicalBytes: 0, allocatedBytes: 0 },
  problems: [],
};

test('loading, loaded, failed, pending, settled, messages, reset', () => {
  assert.deepStrictEqual(initialSnapshotsState, { status: 'idle' });
  let s: SnapshotsState = snapshotsReducer(initialSnapshotsState, { type: 'loading' });
  assert.deepStrictEqual(s, { status: 'loading' });
  s = snapshotsReducer(s, { type: 'loaded', list });
  assert.deepStrictEqual(s, { status: 'ready', list });
  s = snapshotsReducer(s, { type: 'pending', op: 'making', name: 'v1' });
  assert.deepStrictEqual(s, { status: 'ready', list, pending: { op: 'making', name: 'v1' } });
  s = snapshotsReducer(s, { type: 'message', message: { tone: 'info', text: 'Made it.' } });
  assert.deepStrictEqual(s.message, { tone: 'info', text: 'Made it.' });
  s = snapshotsReducer(s, { type: 'settled' });
  assert.ok(!('pending' in s), 'settled drops the pending work');
  s = snapshotsReducer(s, { type: 'message', message: undefined });
  assert.deepStrictEqual(s, { status: 'ready', list });
  assert.ok(!('message' in s), 'no message key left behind');
  s = snapshotsReducer(s, { type: 'loadFailed', error: "No VM named 'dev' exists." });
  assert.deepStrictEqual(s, { status: 'failed', list, message: { tone: 'error', text: "No VM named 'dev' exists." } });
  assert.strictEqual(snapshotsReducer(s, { type: 'reset' }), initialSnapshotsState);
});

test('the sentence for each change in flight', () => {
  assert.equal(pendingText(undefined), undefined);
  assert.equal(pendingText({ op: 'making', name: 'v1' }), "Making snapshot 'v1'…");
  assert.equal(pendingText({ op: 'restoring', name: 'v1' }), "Restoring snapshot 'v1'…");
  assert.equal(pendingText({ op: 'deleting', name: 'v1' }), "Deleting snapshot 'v1'…");
});
