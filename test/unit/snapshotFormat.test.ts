import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nameProblem } from '../../src/rpc/names.js';
import type { SnapshotInfo, SnapshotListResult } from '../../src/rpc/protocol.js';
import { defaultCloneName } from '../../src/ui/hooks/useClone.js';
import { deleteQuestion, formatAge, restoreQuestion, snapshotOrder } from '../../src/format/snapshot.js';
import { copyLine, copyStoppedSentence } from '../../src/format/progress.js';

const NOW = Date.parse('2026-11-26T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

test('ages read as a person says them', () => {
  assert.equal(formatAge(ago(20_000), NOW), 'just now');
  assert.equal(formatAge(ago(-90_000), NOW), 'just now', 'a clock a little ahead is not "in the future"');
  assert.equal(formatAge(ago(60_000), NOW), '1 min ago');
  assert.equal(formatAge(ago(59 * 60_000), NOW), '59 min ago');
  assert.equal(formatAge(ago(3 * 3_600_000 + 59 * 60_000), NOW), '3 h ago');
  assert.equal(formatAge(ago(24 * 3_600_000), NOW), '1 d ago');
  assert.equal(formatAge(ago(59 * 86_400_000), NOW), '59 d ago');
  assert.equal(formatAge('2026-01-02T03:04:05Z', NOW), '2026-01-02');
  assert.equal(formatAge('', NOW), '—');
});

const snap = (name: string, parent: string | null, children: string[]): SnapshotInfo => ({
  name, parent, children, createdAt: ago(0), logicalBytes: 0, allocatedBytes: 0, strategy: 'sparseCopy', savedState: false,
});
const result = (snapshots: SnapshotInfo[]): SnapshotListResult => ({
  vm: 'dev', snapshots, current: null, problems: [],
  vmSpace: { logicalBytes: 0, allocatedBytes: 0 }, snapshotsSpace: { logicalBytes: 0, allocatedBytes: 0 },
});

test('the tree walks roots first, children oldest first, depth-first', () => {
  const rows = snapshotOrder(result([snap('a', null, ['b', 'c']), snap('z', null, []), snap('b', 'a', ['d']), snap('c', 'a', []), snap('d', 'b', [])]));
  assert.deepStrictEqual(rows.map((r) => `${r.depth}${r.snap.name}`), ['0a', '1b', '2d', '1c', '0z']);
});

test('snapshots in a loop (a hand-edited meta.json) still show, once each', () => {
  const rows = snapshotOrder(result([snap('x', 'y', ['y']), snap('y', 'x', ['x'])]));
  assert.deepStrictEqual(rows.map((r) => `${r.depth}${r.snap.name}`), ['0x', '1y']);
});

test('the questions name what is lost and what is kept', () => {
  assert.match(restoreQuestion('dev', 'base', 'base', false).join(' '), /every change since snapshot 'base'\. /);
  assert.doesNotMatch(restoreQuestion('dev', 'base', 'base', false).join(' '), /saved memory/);
  assert.deepStrictEqual(deleteQuestion('dev', snap('leaf', 'a', [])), [
    "Delete snapshot 'leaf' of VM 'dev'? Its files are removed; this cannot be undone.",
    "The VM's own disk is not touched.",
  ]);
  assert.match(deleteQuestion('dev', snap('a', null, ['b'])).join(' '), /Its child 'b' is kept and becomes a top-level snapshot\./);
  assert.match(deleteQuestion('dev', snap('a', 'r', ['b', 'c', 'd'])).join(' '), /Its children 'b', 'c' and 'd' are kept and move up under 'r'\./);
});

test('name problems follow the helper rule, each with its own sentence', () => {
  for (const ok of ['a', 'A9', 'v1.2_rc-3', 'x'.repeat(63)]) assert.equal(nameProblem(ok, 'the snapshot'), undefined, ok);
  assert.equal(nameProblem('', 'the snapshot'), 'Type a name for the snapshot.');
  assert.match(nameProblem('x'.repeat(64), 'the snapshot') ?? '', /too long for the snapshot; use at most 63 characters\.$/);
  assert.match(nameProblem('.hidden', 'the snapshot') ?? '', /start it with a letter or digit\.$/);
  for (const bad of ['a b', 'a/b', 'aé', 'a\u0000']) assert.match(nameProblem(bad, 'the snapshot') ?? '', /use only letters, digits/, bad);
});

test("a clone's default name is '<name>-clone', then numbered, and fits the name rule", () => {
  assert.equal(defaultCloneName('dev', ['dev']), 'dev-clone');
  assert.equal(defaultCloneName('dev', ['dev', 'dev-clone', 'dev-clone-2']), 'dev-clone-3');
  const long = 'x'.repeat(63);
  assert.equal(defaultCloneName(long, [long]), `${'x'.repeat(57)}-clone`);
  assert.equal(nameProblem(defaultCloneName(long, [long]), 'the new VM'), undefined);
});

test('a copy progress line: what is copied, percent, done of total, rate and time left', () => {
  const p = { vm: 'dev', operation: 'clone' as const, name: 'dev-2', doneBytes: 512 * 2 ** 20, totalBytes: 2 * 2 ** 30, bytesPerSecond: 64 * 2 ** 20, etaSeconds: 24 };
  assert.equal(copyLine(p), 'Copying the disk for the clone · 25% · 512 MiB of 2 GiB · 64 MiB/s · 24 s left');
  assert.equal(copyLine({ ...p, operation: 'restore', doneBytes: 0, totalBytes: 0, bytesPerSecond: 0, etaSeconds: null }),
    'Copying the snapshot back · 0% · 0 B of 0 B · 0 B/s · time left unknown');
  assert.equal(copyStoppedSentence('snapshot', 'dev', 'before'),
    "Stopped making snapshot 'before' of VM 'dev'; no snapshot was made and nothing of the copy is left.");
});
