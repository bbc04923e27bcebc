import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveCommand } from '../../src/commands/registry.js';
import { snapshotTree } from '../../src/commands/snapshots.js';
import type { SnapshotListResult } from '../../src/rpc/protocol.js';

const space = { logicalBytes: 0, allocatedBytes: 2 ** 20 };
const snap = (name: string, parent: string | null, children: string[], note?: string) => ({
  name, parent, children, createdAt: '2026-11-26T10:00:00Z', logicalBytes: 2 ** 30, allocatedBytes: 2 ** 20,
  strategy: 'reflink' as const, savedState: false, ...(note ? { note } : {}),
});

test('the snapshot tree indents children under parents and marks the current one', () => {
  const result: SnapshotListResult = {
    vm: 'dev', current: 'b', vmSpace: space, snapshotsSpace: space, problems: [],
    snapshots: [snap('root', null, ['a', 'b']), snap('a', 'root', []), snap('b', 'root', [], 'after upgrade')],
  };
  const lines = snapshotTree(result).split('\n');
  assert.match(lines[0]!, /^  root /);
  assert.match(lines[1]!, /^ {4}a /);
  assert.match(lines[2]!, /^\* {3}b .*"after upgrade"$/);
  assert.match(lines[3]!, /^VM disk: 1(\.0)? MiB used; snapshots: 1(\.0)? MiB used\.$/);
});

test('an empty tree says how to make the first snapshot', () => {
  const text = snapshotTree({ vm: 'dev', current: null, vmSpace: space, snapshotsSpace: space, problems: [], snapshots: [] });
  assert.match(text, /no snapshots yet; make one with 'vmtui snapshot create dev NAME'/);
});

test('snapshot subcommands take a second word; other commands one', () => {
  assert.equal(resolveCommand(['snapshot', 'list', 'dev']).command?.spec.name, 'snapshot list');
  assert.deepEqual(resolveCommand(['snapshot', 'create', 'dev', 'x']).rest, ['dev', 'x']);
  assert.equal(resolveCommand(['snapshot', 'frob']).command, undefined);
  assert.equal(resolveCommand(['clone', 'a', 'b']).command?.spec.name, 'clone');
  assert.equal(resolveCommand(['list']).command?.spec.name, 'list');
});
