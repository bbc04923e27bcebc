// One VM's snapshot tree with its keys: select, make (name, then an optional note), restore and
// delete (each asked first). It owns only what is on screen (selection, open question); the calls
// go out through callbacks, and their state comes back in `state`.
import { Box, Text } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { useRefState } from '../hooks/useRefState.js';
import { useScreenKeys } from '../hooks/useScreenKeys.js';
import { nameProblem } from '../../rpc/names.js';
import type { VMInfo } from '../../rpc/protocol.js';
import { clampLines, truncate, wrapWords } from '../../format/text.js';
import { pendingText, type SnapshotsState } from '../hooks/useSnapshots.js';
import type { StatusMessage } from '../hooks/useVms.js';
import { Command, commandForKey, type KeyContext } from '../keys.js';
import { deleteQuestion, formatAge, restoreQuestion, snapshotOrder, type TreeRow } from '../../format/snapshot.js';
import { toneColor, type Theme } from '../theme.js';
import { visibleRange } from '../layout.js';
import { editText } from '../textInput.js';
import { formatBytes, formatCompact, stateLabel, stateTone } from '../../format/vm.js';
import { DialogBox, dialogHeight, dialogInnerWidth, questionLines, textPromptLines, type DialogLine } from './DialogBox.js';

export type SnapshotDialog =
  | { kind: 'name'; typed: string; note: string; problem?: string }
  | { kind: 'note'; name: string; typed: string; pending: boolean }
  | { kind: 'restore'; name: string }
  | { kind: 'delete'; name: string };

export interface SnapshotsScreenProps {
  width: number;
  height: number;
  theme: Theme;
  vmName: string;
  /** The VM as the dashboard knows it now; undefined once it is gone. */
  vm: VMInfo | undefined;
  state: SnapshotsState;
  /** Milliseconds since the epoch, for ages; a clock that ticks each minute when absent. */
  now?: number;
  /** Rendered on its own (no key router): false while another screen has the keyboard. */
  isActive?: boolean;
  /** Resolves to undefined when the snapshot was made, else the sentence to show. */
  onCreate(name: string, note: string | undefined): Promise<string | undefined>;
  onRestore(name: string): void;
  onDelete(name: string): void;
  onBack(): void;
  /** Stops the snapshot or restore copy in flight. */
  onStop(): void;
  onToggleHelp(): void;
  onQuit(): void;
  /** A sentence for the screen's message line. */
  onNotice(message: StatusMessage): void;
  onContextChange?(context: KeyContext): void;
}

const AGE_WIDTH = 11;
const SIZE_WIDTH = 12;
const MIN_NAME_WIDTH = 12;
const MAX_NAME_WIDTH = 32;

export interface SnapshotColumns {
  name: number;
  age: number;
  size: number;
  note: number;
}

/** Widths after the 4 marker columns: the name fits its longest row, the note takes the rest. */
export function snapshotColumns(width: number, rows: TreeRow[]): SnapshotColumns {
  const longest = Math.max(0, ...rows.map((r) => r.depth * 2 + r.snap.name.length));
  const name = Math.min(MAX_NAME_WIDTH, Math.max(MIN_NAME_WIDTH, longest + 2));
  const note = Math.max(0, width - 4 - name - AGE_WIDTH - SIZE_WIDTH);
  return { name, age: AGE_WIDTH, size: SIZE_WIDTH, note };
}

/** One row as text: selection marker, current mark, the indented name, age, used/size, note. */
export function snapshotRowText(row: TreeRow, columns: SnapshotColumns, now: number, selected: boolean, current: boolean): string {
  const { snap, depth } = row;
  const cell = (text: string, width: number) => truncate(text, width - 1).padEnd(width);
  const name = cell(`${'  '.repeat(depth)}${snap.name}`, columns.name);
  const size = cell(`${formatCompact(snap.allocatedBytes)}/${formatCompact(snap.logicalBytes)}`, columns.size);
  const note = [snap.savedState ? '[saved state]' : '', snap.note ?? ''].filter((t) => t !== '').join(' ');
  const text = `${selected ? '›' : ' '} ${current ? '*' : ' '} ${name}${cell(formatAge(snap.createdAt, now), columns.age)}${size}${truncate(note, columns.note)}`;
  return text.trimEnd();
}

/** The space line: the VM's own files and all its snapshots, used (allocated) of size (logical). */
export function spaceLine(state: SnapshotsState, vmName: string): string {
  const list = state.list;
  if (!list) return '';
  const shared = list.snapshots.some((s) => s.strategy !== 'sparseCopy') ? ' (copy-on-write blocks count once per file sharing them)' : '';
  return (
    `VM '${vmName}': ${formatBytes(list.vmSpace.allocatedBytes)} used of ${formatBytes(list.vmSpace.logicalBytes)}` +
    ` · snapshots: ${formatBytes(list.snapshotsSpace.allocatedBytes)} used of ${formatBytes(list.snapshotsSpace.logicalBytes)}${shared}`
  );
}


function useMinuteClock(fixed: number | undefined): number {
  const [now, setNow] = useState(() => fixed ?? Date.now());
  useEffect(() => {
    if (fixed !== undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, [fixed]);
  return fixed ?? now;
}

/** A running VM (or one with its host up) cannot be restored: the helper would refuse too. */
function restoreBlocker(vm: VMInfo | undefined, vmName: string): string | undefined {
  if (!vm) return `VM '${vmName}' no longer exists; press Esc to go back.`;
  if (vm.hostPid !== undefined || (vm.state !== 'stopped' && vm.state !== 'suspended' && vm.state !== 'error')) {
    return `VM '${vmName}' is ${vm.state}; stop it before restoring a snapshot (Esc, then x), since a restore replaces its disk.`;
  }
  return undefined;
}

export function SnapshotsScreen(props: SnapshotsScreenProps) {
  const { width, height, theme, vmName, vm, state, isActive = true, onContextChange } = props;
  const now = useMinuteClock(props.now);
  const rows = state.list ? snapshotOrder(state.list) : [];
  const current = state.list?.current ?? null;
  // Keys can come faster than renders (typing a name): handlers read the refs.
  const [selectedName, select, selectedRef] = useRefState<string | undefined>(undefined);
  const [dialog, setDialog, dialogRef] = useRefState<SnapshotDialog | undefined>(undefined);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  // The selection: the chosen snapshot while it exists, else the current one, else the first.
  const indexOf = (name: string | undefined) => {
    const found = rows.findIndex((r) => r.snap.name === name);
    if (found !== -1) return found;
    return Math.max(0, rows.findIndex((r) => r.snap.name === current));
  };
  const index = indexOf(selectedName);
  const selected = rows[index]?.snap;

  const context: KeyContext = dialog === undefined ? 'snapshots' : dialog.kind === 'name' || dialog.kind === 'note' ? 'input' : 'confirm';
  useEffect(() => onContextChange?.(context), [context, onContextChange]);

  const move = (by: number) => {
    const list = rowsRef.current;
    if (list.length === 0) return;
    const from = indexOf(selectedRef.current ?? selectedName);
    select(list[Math.min(list.length - 1, Math.max(0, from + by))]?.snap.name);
  };

  // A snapshot or restore that is copying data (it shows its progress) can be stopped.
  const copying = state.pending?.progress !== undefined && state.pending.op !== 'deleting';

  const busyNotice = () => {
    // "Making snapshot 'x'…", not the progress line.
    const text = pendingText(state.pending && { op: state.pending.op, name: state.pending.name });
    if (text) props.onNotice({ tone: 'error', text: `${text.replace(/\u2026$/, '')} is still running; wait for it to finish.` });
    return text !== undefined;
  };

  const submitName = (d: Extract<SnapshotDialog, { kind: 'name' }>) => {
    const problem =
      nameProblem(d.typed, 'the snapshot') ??
      (rowsRef.current.some((r) => r.snap.name === d.typed) ? `VM '${vmName}' already has a snapshot named '${d.typed}'; pick another name.` : undefined);
    if (problem) return setDialog({ ...d, problem });
    setDialog({ kind: 'note', name: d.typed, typed: d.note, pending: false });
  };

  const submitNote = (d: Extract<SnapshotDialog, { kind: 'note' }>) => {
    const note = d.typed.trim() === '' ? undefined : d.typed;
    const open: SnapshotDialog = { ...d, pending: true };
    setDialog(open);
    void props.onCreate(d.name, note).then((problem) => {
      const stillOpen = dialogRef.current === open;
      if (problem === undefined) {
        if (stillOpen) setDialog(undefined);
        select(d.name);
      } else if (stillOpen) setDialog({ kind: 'name', typed: d.name, note: d.typed, problem });
      else props.onNotice({ tone: 'error', text: problem });
    });
  };

  const onScreenKey = (command: Command | undefined) => {
    // Esc while a snapshot or restore copies data stops the copy; otherwise it leaves the screen.
    if (command === Command.Back) return copying ? props.onStop() : props.onBack();
    if (command === Command.ToggleHelp) return props.onToggleHelp();
    if (command === Command.Quit) return props.onQuit();
    if (command === Command.SnapshotUp) return move(-1);
    if (command === Command.SnapshotDown) return move(1);
    if (command === Command.SnapshotCreate) {
      if (busyNotice()) return;
      if (!vm) return props.onNotice({ tone: 'error', text: `VM '${vmName}' no longer exists; press Esc to go back.` });
      return setDialog({ kind: 'name', typed: '', note: '' });
    }
    if (command !== Command.SnapshotRestore && command !== Command.SnapshotDelete) return;
    const target = rowsRef.current[indexOf(selectedRef.current ?? selectedName)]?.snap;
    if (!target) return props.onNotice({ tone: 'error', text: `VM '${vmName}' has no snapshots yet; press n to make one.` });
    if (busyNotice()) return;
    if (command === Command.SnapshotDelete) return setDialog({ kind: 'delete', name: target.name });
    const blocker = restoreBlocker(vm, vmName);
    if (blocker) return props.onNotice({ tone: 'error', text: blocker });
    setDialog({ kind: 'restore', name: target.name });
  };

  useScreenKeys(
    'snapshots',
    (input, key) => {
      const d = dialogRef.current;
      if (d === undefined) return onScreenKey(commandForKey(input, key, 'snapshots'));
      if (d.kind === 'restore' || d.kind === 'delete') {
        const command = commandForKey(input, key, 'confirm');
        if (command === Command.Cancel) setDialog(undefined);
        if (command !== Command.Confirm) return;
        setDialog(undefined);
        return d.kind === 'restore' ? props.onRestore(d.name) : props.onDelete(d.name);
      }
      const command = commandForKey(input, key, 'input');
      if (d.kind === 'note' && d.pending) {
        // The snapshot is being made. Esc stops a copy (the question then shows what became of it);
        // before data is copied it hides the question and the outcome goes to the message line.
        if (command === Command.InputCancel) {
          if (copying) props.onStop();
          else setDialog(undefined);
        }
        return;
      }
      if (command === Command.InputCancel) return setDialog(undefined);
      if (command === Command.InputSubmit) return d.kind === 'name' ? submitName(d) : submitNote(d);
      const typed = editText(d.typed, input, key);
      if (typed === undefined) return;
      if (d.kind === 'name') {
        const { problem: _cleared, ...rest } = d;
        setDialog({ ...rest, typed });
      } else setDialog({ ...d, typed });
    },
    { isActive },
  );

  // A snapshot that vanishes (deleted from another terminal) takes its question with it.
  const dialogSnap = dialog?.kind === 'delete' || dialog?.kind === 'restore' ? rows.find((r) => r.snap.name === dialog.name)?.snap : undefined;
  const orphaned = (dialog?.kind === 'delete' || dialog?.kind === 'restore') && !dialogSnap && state.list !== undefined;
  useEffect(() => {
    if (orphaned) setDialog(undefined);
  }, [orphaned]);

  const inner = dialogInnerWidth(width);
  const dialogLines: DialogLine[] = !dialog
    ? []
    : dialog.kind === 'name'
      ? textPromptLines(
          {
            ask: [`New snapshot of VM '${vmName}'${vm?.hostPid !== undefined ? ' (it is paused for the copy and resumed)' : ''}.`, 'Name (letters, digits, . _ -):'],
            typed: dialog.typed,
            ...(dialog.problem ? { problem: dialog.problem } : {}),
          },
          inner,
        )
      : dialog.kind === 'note'
        ? textPromptLines(
            {
              ask: [`Snapshot '${dialog.name}': a note to remember it by (optional; Enter alone skips it):`],
              typed: dialog.typed,
              ...(dialog.pending
                ? { pending: copying ? (pendingText(state.pending) ?? '') : `Making snapshot '${dialog.name}'… (Esc hides this; the work goes on)` }
                : {}),
            },
            inner,
          )
        : dialog.kind === 'restore'
          ? questionLines(restoreQuestion(vmName, dialog.name, current, vm?.state === 'suspended'), 'restore', inner)
          : dialogSnap
            ? questionLines(deleteQuestion(vmName, dialogSnap), 'delete', inner)
            : [];

  // Work in flight, then the last sentence (an outcome, or why a key did nothing).
  const pending = pendingText(state.pending);
  const messages: StatusMessage[] = [...(pending ? [{ tone: 'info' as const, text: pending }] : []), ...(state.message ? [state.message] : [])];
  const messageLines = messages.flatMap((m) =>
    clampLines(wrapWords(m.tone === 'error' ? `✗ ${m.text}` : m.text, width), 2, width).map((text) => ({ text, tone: m.tone })),
  );
  const space = state.list ? wrapWords(spaceLine(state, vmName), width) : [];
  const legend = current !== null ? ["* the snapshot the VM's disk descends from"] : [];
  const problems = (state.list?.problems ?? []).flatMap((p) => clampLines(wrapWords(`! snapshot '${p.name}' cannot be read: ${p.message}`, width), 2, width));
  const room = Math.max(1, height - 2 - space.length - legend.length - problems.length - (dialogLines.length > 0 ? dialogHeight(dialogLines) : 0) - messageLines.length);
  const columns = snapshotColumns(width, rows);
  const { start, end } = visibleRange(rows.length, index, room);
  const empty =
    state.status === 'loading' && !state.list
      ? 'Reading snapshots…'
      : state.status === 'failed' && !state.list
        ? 'The snapshots could not be read (see below); press Esc and try again.'
        : `VM '${vmName}' has no snapshots yet; press n to make one.`;

  return (
    <Box flexDirection="column" width={width}>
      <Text bold>
        {truncate(`Snapshots of VM '${vmName}'`, width - 16)}
        {' · '}
        <Text color={vm ? toneColor(theme, stateTone(vm.state)) : theme.error}>{vm ? stateLabel(vm.state) : 'gone'}</Text>
      </Text>
      <Text bold>{`    ${'NAME'.padEnd(columns.name)}${'AGE'.padEnd(columns.age)}${'USED/SIZE'.padEnd(columns.size)}${columns.note > 0 ? 'NOTE' : ''}`.trimEnd()}</Text>
      {rows.length === 0
        ? wrapWords(empty, width).map((t) => (
            <Text key={t} color={theme.muted}>
              {t}
            </Text>
          ))
        : rows.slice(start, end).map((row) => {
            const isSelected = row.snap.name === selected?.name;
            return (
              <Text key={row.snap.name} bold={isSelected} inverse={isSelected && theme.accent !== undefined}>
                {snapshotRowText(row, columns, now, isSelected, row.snap.name === current)}
              </Text>
            );
          })}
      {[...space, ...legend].map((t, i) => (
        <Text key={`s${i}`} color={theme.muted}>
          {t}
        </Text>
      ))}
      {problems.map((t, i) => (
        <Text key={`p${i}`} color={theme.warning}>
          {t}
        </Text>
      ))}
      {dialog && dialogLines.length > 0 ? <DialogBox width={width} theme={theme} lines={dialogLines} tone={dialog.kind === 'name' || dialog.kind === 'note' ? 'question' : 'danger'} /> : null}
      {messageLines.map((line, i) => (
        <Text key={`m${i}`} color={line.tone === 'error' ? theme.error : theme.muted}>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}
