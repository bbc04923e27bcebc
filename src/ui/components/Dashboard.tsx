// The VM list with its keys: selection, sorting, filtering, start, stop (confirmed), pause/resume,
// delete (typed confirmation), details and console. It owns only what is on screen (selection,
// sort, filter, open question); every change goes out through a callback.
import { Box, Text } from 'ink';
import { useEffect, useRef } from 'react';
import type { KeyHandler } from '../hooks/useKeys.js';
import { useRefState } from '../hooks/useRefState.js';
import { useScreenKeys } from '../hooks/useScreenKeys.js';
import type { VMInfo, VMProblem } from '../../rpc/protocol.js';
import { truncate } from '../../format/text.js';
import { Command, commandForKey, type KeyContext } from '../keys.js';
import { tableLayout } from '../layout.js';
import type { VmStatsView } from '../statsHistory.js';
import type { Theme } from '../theme.js';
import { DEFAULT_SORT, filterRows, nextSort, reverseSort, showsLiveFigures, sortRows, type SortOrder, type VmRow } from '../vmRows.js';
import { editText } from '../textInput.js';
import { deletePromptLines, stopQuestionLines } from './dashboardDialogs.js';
import { DialogBox, dialogHeight, dialogInnerWidth } from './DialogBox.js';
import { VmTable } from './VmTable.js';

export type Dialog =
  | { kind: 'stop'; name: string }
  | { kind: 'delete'; name: string; typed: string; mismatch: boolean };

/** The filter text, and whether it is being typed (the keys are text then). */
export interface FilterState {
  text: string;
  typing: boolean;
}

export interface DashboardProps {
  width: number;
  height: number;
  theme: Theme;
  vms: VMInfo[];
  problems: VMProblem[];
  pending: Record<string, string>;
  /** Newest sample and last-minute CPU by VM name; VMs without one show "—". */
  stats?: Record<string, VmStatsView>;
  loading?: boolean;
  /** Rendered on its own (no key router): false while another screen has the keyboard. */
  isActive?: boolean;
  onStart(name: string): void;
  onStop(name: string, force: boolean): void;
  onPauseResume(name: string): void;
  onSuspend?(name: string): void;
  onDelete(name: string): void;
  onConsole(name: string): void;
  onDetails?(name: string): void;
  onToggleHelp(): void;
  onQuit(): void;
  /** A sentence for the status line, for keys that do not fit the selected VM. */
  onNotice(text: string): void;
  /** Which keys apply now, so the footer can show them. */
  onContextChange?(context: KeyContext): void;
  /** Keys for other screens and dialogs (snapshots, clone), with the selected VM. */
  onVmCommand?(command: Command, vm: VMInfo): void;
  /** Selects this VM once it is listed (a new object each time it is asked). */
  selectRequest?: { name: string };
}

/** A VM whose host process is up: it can be stopped, not deleted. */
function hasHost(vm: VMInfo): boolean {
  return vm.hostPid !== undefined;
}

export function dashboardRows(
  vms: VMInfo[],
  stats: Record<string, VmStatsView>,
  pending: Record<string, string>,
  sort: SortOrder,
  filter: string,
): VmRow[] {
  const rows = vms.map((vm): VmRow => {
    const row: VmRow = { vm };
    const s = stats[vm.name];
    if (s && showsLiveFigures(vm.state)) row.stats = s;
    const p = pending[vm.name];
    if (p) row.pending = p;
    return row;
  });
  return filterRows(sortRows(rows, sort), filter);
}

/** The line under the table while a filter is typed or kept. */
export function filterLine(filter: FilterState, shown: number, total: number): string | undefined {
  if (!filter.typing && filter.text === '') return undefined;
  const count = `${shown} of ${total} VMs`;
  return filter.typing ? `/${filter.text}█  ${count} · Enter keeps · Esc clears` : `Filter '${filter.text}': ${count} · Esc clears`;
}

const NO_FILTER: FilterState = { text: '', typing: false };

export function Dashboard(props: DashboardProps) {
  const { width, height, theme, vms, problems, pending, stats = {}, loading, isActive = true, onContextChange } = props;
  // Keys can arrive faster than renders (typing, pasting, "jjs"): handlers read the refs, so each
  // key sees the one before it.
  const [selectedName, select, selectedRef] = useRefState<string | undefined>(undefined);
  const [dialog, setDialog, dialogRef] = useRefState<Dialog | undefined>(undefined);
  const [sort, setSortState, sortRef] = useRefState<SortOrder>(DEFAULT_SORT);
  const [filter, setFilterState, filterRef] = useRefState<FilterState>(NO_FILTER);
  const lastIndexRef = useRef(0);
  const rowsNow = () => dashboardRows(vms, stats, pending, sortRef.current, filterRef.current.text);
  const rows = dashboardRows(vms, stats, pending, sort, filter.text);

  /** The selected row: the same VM as the list changes, or its old position if it is gone. */
  const indexIn = (list: VmRow[], name: string | undefined) => {
    const found = list.findIndex((row) => row.vm.name === name);
    return found !== -1 ? found : Math.max(0, Math.min(lastIndexRef.current, list.length - 1));
  };
  /** The VM shown as selected now, made the selection by name, so a new order keeps it. */
  const pinSelection = () => {
    const list = rowsNow();
    const shown = list[indexIn(list, selectedRef.current ?? selectedName)];
    if (shown) select(shown.vm.name);
  };
  const setSort = (next: SortOrder) => {
    pinSelection();
    setSortState(next);
  };
  const setFilter = (next: FilterState) => {
    pinSelection();
    setFilterState(next);
    // A selected VM the filter hides hands the selection to the first one left.
    const list = rowsNow();
    if (!list.some((row) => row.vm.name === selectedRef.current)) select(list[0]?.vm.name ?? selectedRef.current);
  };
  const index = indexIn(rows, selectedName);
  lastIndexRef.current = index;
  const selected = rows[index]?.vm;
  const context: KeyContext =
    dialog?.kind === 'stop' ? 'confirm' : dialog?.kind === 'delete' ? 'prompt' : filter.typing ? 'filter' : 'dashboard';
  useEffect(() => onContextChange?.(context), [context, onContextChange]);

  // A VM that disappears takes its question with it.
  useEffect(() => {
    const open = dialogRef.current;
    if (open && !vms.some((vm) => vm.name === open.name)) setDialog(undefined);
  }, [vms]);

  const applied = useRef<{ name: string }>(undefined);
  useEffect(() => {
    const wanted = props.selectRequest;
    if (wanted && applied.current !== wanted && vms.some((vm) => vm.name === wanted.name)) {
      applied.current = wanted;
      select(wanted.name);
    }
  }, [props.selectRequest, vms]);

  const move = (by: number) => {
    const list = rowsNow();
    if (list.length === 0) return;
    const from = indexIn(list, selectedRef.current ?? selectedName);
    select(list[Math.min(list.length - 1, Math.max(0, from + by))]?.vm.name);
  };

  const onDashboardKey = (command: Command | undefined) => {
    switch (command) {
      case Command.ToggleHelp:
        return props.onToggleHelp();
      case Command.Quit:
        return props.onQuit();
      case Command.SelectUp:
        return move(-1);
      case Command.SelectDown:
        return move(1);
      case Command.Filter:
        return setFilter({ text: filterRef.current.text, typing: true });
      case Command.ClearFilter:
        return setFilter(NO_FILTER);
      case Command.SortNext:
        return setSort(nextSort(sortRef.current, tableLayout(width).columns.map((c) => c.key)));
      case Command.SortReverse:
        return setSort(reverseSort(sortRef.current));
      default:
        break;
    }
    const list = rowsNow();
    const target = list[indexIn(list, selectedRef.current ?? selectedName)]?.vm;
    if (!target || command === undefined) return;
    const { name } = target;
    switch (command) {
      case Command.Start:
        return props.onStart(name);
      case Command.Stop:
        if (pending[name] === 'stopping' || target.state === 'stopping') return props.onStop(name, true);
        if (!hasHost(target)) return props.onNotice(`VM '${name}' is not running; there is nothing to stop.`);
        return setDialog({ kind: 'stop', name });
      case Command.PauseResume:
        return props.onPauseResume(name);
      case Command.Suspend:
        return props.onSuspend?.(name);
      case Command.Delete:
        if (hasHost(target)) return props.onNotice(`VM '${name}' is ${target.state}; stop it (x) before deleting it.`);
        return setDialog({ kind: 'delete', name, typed: '', mismatch: false });
      case Command.Details:
        return props.onDetails?.(name);
      case Command.Console:
        return props.onConsole(name);
      default:
        return props.onVmCommand?.(command, target);
    }
  };

  const onKey: KeyHandler = (input, key) => {
    const current = dialogRef.current;
    const typing = filterRef.current.typing;
    const command = commandForKey(
      input,
      key,
      current?.kind === 'stop' ? 'confirm' : current?.kind === 'delete' ? 'prompt' : typing ? 'filter' : 'dashboard',
    );
    if (current?.kind === 'stop') {
      if (command === Command.Confirm) {
        setDialog(undefined);
        props.onStop(current.name, false);
      } else if (command === Command.Cancel) setDialog(undefined);
      return;
    }
    if (current?.kind === 'delete') {
      if (command === Command.Submit) {
        if (current.typed === current.name) {
          setDialog(undefined);
          props.onDelete(current.name);
        } else setDialog({ ...current, mismatch: true });
      } else if (command === Command.CancelPrompt) setDialog(undefined);
      else {
        const typed = editText(current.typed, input, key);
        if (typed !== undefined) setDialog({ ...current, typed, mismatch: false });
      }
      return;
    }
    if (typing) {
      const { text } = filterRef.current;
      if (command === Command.KeepFilter) setFilter({ text, typing: false });
      else if (command === Command.CancelFilter) setFilter(NO_FILTER);
      else {
        const typed = editText(text, input, key);
        if (typed !== undefined) setFilter({ text: typed, typing: true });
      }
      return;
    }
    onDashboardKey(command);
  };
  useScreenKeys('dashboard', onKey, { isActive });

  const filterText = filterLine(filter, rows.length, vms.length);
  const sampleError = selected ? stats[selected.name]?.latest.error : undefined;
  const notes = [
    ...(filterText !== undefined ? [{ text: filterText, color: theme.accent }] : []),
    ...(sampleError !== undefined ? [{ text: `! VM '${selected?.name}' could not be sampled: ${sampleError}`, color: theme.warning }] : []),
  ];
  const inner = dialogInnerWidth(width);
  const dialogBox =
    dialog?.kind === 'stop'
      ? stopQuestionLines(dialog.name, inner)
      : dialog?.kind === 'delete'
        ? deletePromptLines(dialog.name, dialog.typed, dialog.mismatch, inner)
        : undefined;
  const dialogLines = dialogBox ? dialogHeight(dialogBox) : 0;
  const problemLines = problems.length * 2;
  const room = Math.max(1, height - 1 - problemLines - dialogLines - notes.length);
  const emptyText = vms.length > 0 && filter.text !== '' ? `No VM matches '${filter.text}'; press Esc to clear the filter.` : undefined;
  return (
    <Box flexDirection="column" width={width}>
      <VmTable
        width={width}
        height={room}
        theme={theme}
        rows={rows}
        sort={sort}
        problems={problems}
        {...(selected ? { selected: selected.name } : {})}
        {...(loading ? { loading } : {})}
        {...(emptyText ? { emptyText } : {})}
      />
      {notes.map((note, i) => (
        <Text key={i} color={note.color}>
          {truncate(note.text, width)}
        </Text>
      ))}
      {dialogBox ? <DialogBox width={width} theme={theme} lines={dialogBox} tone={dialog?.kind === 'delete' ? 'danger' : 'question'} /> : null}
    </Box>
  );
}
