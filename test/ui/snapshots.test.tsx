// The snapshots screen as a pure component: a tree in, keys pressed like a person, callbacks out.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { decodeVMInfo, type SnapshotInfo, type SnapshotListResult, type VMInfo } from '../../src/rpc/protocol.js';
import { SnapshotsScreen, type SnapshotsScreenProps } from '../../src/ui/components/SnapshotsScreen.js';
import { snapshotsReducer, type SnapshotsState } from '../../src/ui/hooks/useSnapshots.js';
import { plainTheme } from '../../src/ui/theme.js';
import { ARROW_DOWN, BACKSPACE, ENTER, ESCAPE } from '../helpers/keys.js';
import { flat, press, typeText, waitForGone, waitForText } from '../helpers/frames.js';
import { waitFor, waitForFrame } from '../helpers/wait.js';

const fixture = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/protocol/${file}`, import.meta.url), 'utf8')).result;
const base = decodeVMInfo(fixture('vm-get.result.json'), 'result');
const stopped: VMInfo = { ...base, name: 'dev', state: 'stopped' };
delete stopped.hostPid;
delete stopped.stateReason;
const running: VMInfo = { ...stopped, state: 'running', hostPid: 4242 };

const NOW = Date.parse('2026-11-26T12:00:00Z');
const MiB = 2 ** 20;
const snap = (name: string, parent: string | null, children: string[], hoursAgo: number, note?: string): SnapshotInfo => ({
  name,
  parent,
  children,
  createdAt: new Date(NOW - hoursAgo * 3_600_000).toISOString(),
  logicalBytes: 64 * MiB,
  allocatedBytes: 3 * MiB,
  strategy: 'reflink',
  savedState: false,
  ...(note ? { note } : {}),
});
// base ─┬─ upgraded (current) ── tuned
//       └─ experiment
const list: SnapshotListResult = {
  vm: 'dev',
  snapshots: [
    snap('base', null, ['upgraded', 'experiment'], 50, 'fresh install'),
    snap('upgraded', 'base', ['tuned'], 3, 'after apt upgrade'),
    snap('experiment', 'base', [], 2),
    snap('tuned', 'upgraded', [], 0.25),
  ],
  current: 'upgraded',
  vmSpace: { logicalBytes: 64 * MiB, allocatedBytes: 5 * MiB },
  snapshotsSpace: { logicalBytes: 256 * MiB, allocatedBytes: 12 * MiB },
  problems: [],
};
const ready: SnapshotsState = { status: 'ready', list };

type Call = [string, ...unknown[]];

function screen(overrides: Partial<SnapshotsScreenProps> = {}) {
  const calls: Call[] = [];
  const record = (name: string) => (...args: unknown[]) => void calls.push([name, ...args]);
  let createAnswer: string | undefined;
  const props: SnapshotsScreenProps = {
    width: 100,
    height: 20,
    theme: plainTheme,
    vmName: 'dev',
    vm: stopped,
    state: ready,
    now: NOW,
    onCreate: async (name, note) => {
      calls.push(['create', name, note]);
      return createAnswer;
    },
    onRestore: record('restore'),
    onDelete: record('delete'),
    onBack: record('back'),
    onStop: record('stop'),
    onToggleHelp: record('help'),
    onQuit: record('quit'),
    onNotice: record('notice'),
    onContextChange: record('context'),
    ...overrides,
  };
  const ui = render(<SnapshotsScreen {...props} />);
  const actions = () => calls.filter(([name]) => name !== 'context');
  return {
    ui,
    calls,
    last: () => actions().at(-1),
    answerCreate: (answer: string | undefined) => (createAnswer = answer),
    context: () => calls.filter(([name]) => name === 'context').at(-1)?.[1],
  };
}

test('the tree: children indented under parents, the current one marked, ages, used/size, notes, totals', () => {
  const { ui } = screen();
  const lines = (ui.lastFrame() ?? '').split('\n');
  assert.equal(lines[0], "Snapshots of VM 'dev' · ○ stopped");
  assert.match(lines[1] ?? '', /^ {4}NAME +AGE +USED\/SIZE +NOTE$/);
  // The selection starts on the current snapshot, the one the VM's disk descends from.
  assert.equal(lines[2], '    base          2 d ago    3M/64M      fresh install');
  assert.equal(lines[3], '› *   upgraded    3 h ago    3M/64M      after apt upgrade');
  assert.equal(lines[4], '        tuned     15 min ago 3M/64M');
  assert.equal(lines[5], '      experiment  2 h ago    3M/64M');
  assert.equal(lines[6], "VM 'dev': 5 MiB used of 64 MiB · snapshots: 12 MiB used of 256 MiB (copy-on-write blocks count once");
  assert.equal(lines[7], 'per file sharing them)');
  assert.equal(lines[8], "* the snapshot the VM's disk descends from");
  ui.unmount();
});

test('an empty tree says how to make the first snapshot; a failed read says so', async () => {
  const empty = screen({ state: { status: 'ready', list: { ...list, snapshots: [], current: null } } });
  const frame = empty.ui.lastFrame() ?? '';
  assert.ok(frame.includes("VM 'dev' has no snapshots yet; press n to make one."), frame);
  assert.ok(!frame.includes('descends from'), frame);
  press(empty.ui, 'r');
  await waitFor(() => empty.last()?.[0] === 'notice', 'a notice');
  assert.deepStrictEqual(empty.last(), ['notice', { tone: 'error', text: "VM 'dev' has no snapshots yet; press n to make one." }]);
  empty.ui.unmount();
  const failed = screen({ state: { status: 'failed', message: { tone: 'error', text: "No VM named 'dev' exists; check the name with 'vmtui list'." } } });
  const failedFrame = failed.ui.lastFrame() ?? '';
  assert.ok(failedFrame.includes('The snapshots could not be read'), failedFrame);
  assert.ok(failedFrame.includes("✗ No VM named 'dev' exists"), failedFrame);
  failed.ui.unmount();
});

test('n asks for a name checked by the helper rule, then a note; the typed text survives every problem', async () => {
  const s = screen();
  press(s.ui, 'n');
  let frame = flat(await waitForText(s.ui, "New snapshot of VM 'dev'."));
  await waitFor(() => s.context() === 'input', "the key context 'input'");
  assert.ok(frame.includes('Enter ok · Esc/Ctrl-C cancel'), frame);
  await typeText(s.ui, 'before upgrade', '> before upgrade█');
  press(s.ui, ENTER);
  frame = flat(await waitForText(s.ui, "✗ 'before upgrade' cannot be the name of the snapshot; use only letters, digits, '.', '_' and '-'."));
  assert.ok(frame.includes('> before upgrade█'), frame);
  for (let i = 0; i < 'before upgrade'.length; i++) press(s.ui, BACKSPACE);
  await typeText(s.ui, '-x', '> -x█');
  press(s.ui, ENTER);
  await waitForText(s.ui, "✗ '-x' cannot be the name of the snapshot; start it with a letter or digit.");
  press(s.ui, BACKSPACE);
  press(s.ui, BACKSPACE);
  press(s.ui, ENTER);
  await waitForText(s.ui, '✗ Type a name for the snapshot.');
  await typeText(s.ui, 'base', '> base█');
  press(s.ui, ENTER);
  await waitForText(s.ui, "✗ VM 'dev' already has a snapshot named 'base'; pick another name.");
  frame = flat(await typeText(s.ui, '-2', '> base-2█'));
  assert.ok(!frame.includes('✗'), 'typing clears the problem');
  press(s.ui, ENTER);
  await waitForText(s.ui, "Snapshot 'base-2': a note to remember it by");
  // The helper refuses (a race with another terminal): back to the name, note kept.
  s.answerCreate("A snapshot of VM 'dev' named 'base-2' already exists; pick another name or delete the old one first.");
  await typeText(s.ui, 'before the upgrade', '> before the upgrade█');
  press(s.ui, ENTER);
  frame = flat(await waitForText(s.ui, "✗ A snapshot of VM 'dev' named 'base-2' already exists"));
  assert.ok(frame.includes('> base-2█'), frame);
  assert.deepStrictEqual(s.last(), ['create', 'base-2', 'before the upgrade']);
  await typeText(s.ui, 'b', '> base-2b█');
  press(s.ui, ENTER);
  frame = flat(await waitForText(s.ui, '> before the upgrade█'));
  s.answerCreate(undefined);
  press(s.ui, ENTER);
  await waitFor(() => s.last()?.[1] === 'base-2b', 'the second create');
  assert.deepStrictEqual(s.last(), ['create', 'base-2b', 'before the upgrade']);
  await waitForGone(s.ui, '> ');
  // The context is reported from an effect after the render that closed the prompt: wait for it.
  await waitFor(() => s.context() === 'snapshots', "the key context 'snapshots'");
  s.ui.unmount();
});

test('a long note scrolls inside the prompt instead of wrapping it', async () => {
  const s = screen({ width: 40 });
  press(s.ui, 'n');
  await waitForText(s.ui, 'New snapshot');
  await typeText(s.ui, 'v2', '> v2█');
  press(s.ui, ENTER);
  await waitForText(s.ui, 'a note to remember it by');
  const frame = flat(await typeText(s.ui, 'a note much longer than forty columns, ending here', 'ending here█'));
  assert.ok(frame.includes('> …'), frame);
  assert.ok((s.ui.lastFrame() ?? '').split('\n').every((l) => l.length <= 40), s.ui.lastFrame());
  press(s.ui, ENTER);
  await waitFor(() => s.last()?.[0] === 'create', 'the create');
  assert.deepStrictEqual(s.last(), ['create', 'v2', 'a note much longer than forty columns, ending here']);
  s.ui.unmount();
});

test('an empty note is no note; Esc cancels a prompt without a call', async () => {
  const s = screen();
  press(s.ui, 'c');
  await waitForText(s.ui, 'New snapshot');
  await typeText(s.ui, 'v2', '> v2█');
  press(s.ui, ENTER);
  await waitForText(s.ui, 'a note to remember it by');
  await typeText(s.ui, '   ', /> {4}█/);
  press(s.ui, ENTER);
  await waitFor(() => s.last()?.[0] === 'create', 'the create');
  assert.deepStrictEqual(s.last(), ['create', 'v2', undefined]);
  press(s.ui, 'n');
  await waitForText(s.ui, 'New snapshot');
  await typeText(s.ui, 'q', '> q█');
  press(s.ui, ESCAPE);
  await waitFor(() => !(s.ui.lastFrame() ?? '').includes('New snapshot'), 'the prompt to close');
  assert.deepStrictEqual(s.last(), ['create', 'v2', undefined], 'q was text, Esc made no call');
  s.ui.unmount();
});

test('r asks first and says exactly what is discarded: the disk state since the current snapshot', async () => {
  const s = screen();
  press(s.ui, ARROW_DOWN); // tuned
  press(s.ui, ARROW_DOWN); // experiment
  await waitForFrame(s.ui.lastFrame, /^› +experiment/m);
  press(s.ui, 'r');
  const frame = flat(await waitForText(s.ui, "Restore VM 'dev' to snapshot 'experiment'?"));
  const text = frame;
  assert.ok(text.includes("Its disk and settings go back to how they were then."), text);
  assert.ok(text.includes("This discards the VM's current disk state: every change since snapshot 'upgraded'. To keep that, answer no and make a snapshot first."), text);
  assert.ok(text.includes('y/Enter restore · n/Esc/Ctrl-C cancel'), text);
  await waitFor(() => s.context() === 'confirm', "the key context 'confirm'");
  press(s.ui, 'n');
  await waitFor(() => !(s.ui.lastFrame() ?? '').includes('Restore VM'), 'the question to close');
  assert.equal(s.last(), undefined);
  press(s.ui, 'r');
  await waitForText(s.ui, 'Restore VM');
  press(s.ui, 'y');
  await waitFor(() => s.last()?.[0] === 'restore', 'the restore');
  assert.deepStrictEqual(s.last(), ['restore', 'experiment']);
  s.ui.unmount();
});

test('without a current snapshot, and for a suspended VM, the restore question says what that loses', async () => {
  const s = screen({ vm: { ...stopped, state: 'suspended' }, state: { status: 'ready', list: { ...list, current: null } } });
  press(s.ui, 'r');
  const frame = flat(await waitForText(s.ui, 'Restore VM'));
  const text = frame;
  assert.ok(text.includes("This discards the VM's current disk, which no snapshot holds, and its saved memory state."), text);
  s.ui.unmount();
});

test('r on a running VM is refused with a sentence and asks nothing', async () => {
  const s = screen({ vm: running });
  assert.ok((s.ui.lastFrame() ?? '').startsWith("Snapshots of VM 'dev' · ● running"));
  press(s.ui, 'r');
  await waitFor(() => s.last(), 'a notice');
  assert.deepStrictEqual(s.last(), [
    'notice',
    { tone: 'error', text: "VM 'dev' is running; stop it before restoring a snapshot (Esc, then x), since a restore replaces its disk." },
  ]);
  // Making a snapshot of a running VM is fine: the prompt says it is paused for the copy. Had r
  // opened a question, n would have answered it instead, so this frame also shows none was asked.
  press(s.ui, 'n');
  const frame = await waitForText(s.ui, "New snapshot of VM 'dev' (it is paused for the copy and resumed).");
  assert.ok(!frame.includes('Restore VM'), frame);
  s.ui.unmount();
});

test('d asks first, saying the children are kept and where they go', async () => {
  const s = screen();
  press(s.ui, 'k'); // base
  await waitForFrame(s.ui.lastFrame, /^› +base/m);
  press(s.ui, 'd');
  let frame = flat(await waitForText(s.ui, "Delete snapshot 'base' of VM 'dev'?"));
  let text = frame;
  assert.ok(text.includes("Its children 'upgraded' and 'experiment' are kept and become top-level snapshots."), text);
  assert.ok(text.includes("The VM's own disk is not touched."), text);
  press(s.ui, ESCAPE);
  await waitFor(() => !(s.ui.lastFrame() ?? '').includes('Delete snapshot'), 'the question to close');
  press(s.ui, 'j'); // upgraded
  await waitForFrame(s.ui.lastFrame, /^› \* +upgraded/m);
  press(s.ui, 'd');
  frame = flat(await waitForText(s.ui, "Delete snapshot 'upgraded'"));
  text = frame;
  assert.ok(text.includes("Its child 'tuned' is kept and moves up under 'base'."), text);
  press(s.ui, ENTER);
  await waitFor(() => s.last()?.[0] === 'delete', 'the delete');
  assert.deepStrictEqual(s.last(), ['delete', 'upgraded']);
  s.ui.unmount();
});

test('while a change runs, its progress shows and other changes wait; Esc goes back, ? and q reach the app', async () => {
  const s = screen({ state: { ...ready, pending: { op: 'restoring', name: 'base' } } });
  assert.ok((s.ui.lastFrame() ?? '').includes("Restoring snapshot 'base'…"));
  press(s.ui, 'd');
  await waitFor(() => s.last(), 'a notice');
  assert.deepStrictEqual(s.last(), ['notice', { tone: 'error', text: "Restoring snapshot 'base' is still running; wait for it to finish." }]);
  press(s.ui, '?');
  await waitFor(() => s.last()?.[0] === 'help', 'help');
  press(s.ui, 'q');
  await waitFor(() => s.last()?.[0] === 'quit', 'quit');
  press(s.ui, ESCAPE);
  await waitFor(() => s.last()?.[0] === 'back', 'back');
  s.ui.unmount();
});

test('a snapshot copy shows its progress line, and Esc then stops it instead of going back', async () => {
  const progress = { vm: 'dev', operation: 'restore' as const, name: 'base', doneBytes: 256 * MiB, totalBytes: 1024 * MiB, bytesPerSecond: 128 * MiB, etaSeconds: 6 };
  const s = screen({ state: { ...ready, pending: { op: 'restoring', name: 'base', progress } } });
  const frame = flat(s.ui.lastFrame() ?? '');
  assert.ok(frame.includes('Copying the snapshot back · 25% · 256 MiB of 1 GiB · 128 MiB/s · 6 s left'), frame);
  assert.ok(frame.includes('(Esc stops it)'), frame);
  press(s.ui, 'd');
  await waitFor(() => s.last(), 'a notice');
  assert.deepStrictEqual(s.last(), ['notice', { tone: 'error', text: "Restoring snapshot 'base' is still running; wait for it to finish." }]);
  press(s.ui, ESCAPE);
  await waitFor(() => s.last()?.[0] === 'stop', 'the stop');
  assert.ok(!s.calls.some(([c]) => c === 'back'), 'Esc stops the copy and does not leave the screen');
  s.ui.unmount();
});

test('the reducer keeps a copy progress with its pending change and drops it when settled', () => {
  const progress = { vm: 'dev', operation: 'snapshot' as const, name: 'v2', doneBytes: 1, totalBytes: 2, bytesPerSecond: 0, etaSeconds: null };
  const pending = snapshotsReducer(ready, { type: 'pending', op: 'making', name: 'v2' });
  const copying = snapshotsReducer(pending, { type: 'progress', progress });
  assert.deepStrictEqual(copying.pending, { op: 'making', name: 'v2', progress });
  assert.strictEqual(snapshotsReducer(copying, { type: 'settled' }).pending, undefined);
  assert.strictEqual(snapshotsReducer(ready, { type: 'progress', progress }), ready, 'a late progress after the change settled is dropped');
});
