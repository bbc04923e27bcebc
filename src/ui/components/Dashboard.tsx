// The VM list with its keys: selection, start, stop (confirmed), pause/resume, delete (typed
// confirmation) and console. It owns only what is on screen (selection, open question); every
// change goes out through a callback.
import { Box, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { VMInfo, VMProblem } from '../../rpc/protocol.js';
import { Command, commandForKey, type KeyContext } from '../keys.js';
import type { Theme } from '../theme.js';
import { ConfirmStop, DeletePrompt, confirmStopLines, deletePromptLines } from './Dialogs.js';
import { VmTable } from './VmTable.js';

export type Dialog =
  | { kind: 'stop'; name: string }
  | { kind: 'delete'; name: string; typed: string; mismatch: boolean };

export interface DashboardProps {
  width: number;
  height: number;
  theme: Theme;
  vms: VMInfo[];
  problems: VMProblem[];
  pending: Record<string, string>;
  loading?: boolean;
  /** False while another screen (help, console) has the keyboard. */
  isActive?: boolean;
  onStart(name: string): void;
  onStop(name: string, force: boolean): void;
  onPauseResume(name: string): void;
  onDelete(name: string): void;
  onConsole(name: string): void;
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

export function Dashboard(props: DashboardProps) {
  const { width, height, theme, vms, problems, pending, loading, isActive = true, onContextChange } = props;
  const [selectedName, setSelectedNameState] = useState<string>();
  const [dialog, setDialogState] = useState<Dialog>();
  // Keys can arrive faster than renders (typing, pasting, "jjs"): handlers read and write these
  // refs, so each key sees the one before it.
  const selectedRef = useRef<string | undefined>(undefined);
  const lastIndexRef = useRef(0);
  const dialogRef = useRef<Dialog>(undefined);
  const setDialog = (next: Dialog | undefined) => {
    dialogRef.current = next;
    setDialogState(next);
  };
  const select = (name: string | undefined) => {
    selectedRef.current = name;
    setSelectedNameState(name);
  };

  /** The selected row: the same VM as the list changes, or its old position if it is gone. */
  const indexFor = (name: string | undefined) => {
    const found = vms.findIndex((vm) => vm.name === name);
    return found !== -1 ? found : Math.max(0, Math.min(lastIndexRef.current, vms.length - 1));
  };
  const index = indexFor(selectedName);
  lastIndexRef.current = index;
  const selected = vms[index];
  const context: KeyContext = dialog?.kind === 'stop' ? 'confirm' : dialog?.kind === 'delete' ? 'prompt' : 'dashboard';
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
    if (vms.length === 0) return;
    const from = indexFor(selectedRef.current ?? selectedName);
    select(vms[Math.min(vms.length - 1, Math.max(0, from + by))]?.name);
  };

  const onDashboardKey = (command: Command | undefined) => {
    if (command === Command.ToggleHelp) return props.onToggleHelp();
    if (command === Command.Quit) return props.onQuit();
    if (command === Command.SelectUp) return move(-1);
    if (command === Command.SelectDown) return move(1);
    const target = vms[indexFor(selectedRef.current ?? selectedName)];
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
      case Command.Delete:
        if (hasHost(target)) return props.onNotice(`VM '${name}' is ${target.state}; stop it (x) before deleting it.`);
        return setDialog({ kind: 'delete', name, typed: '', mismatch: false });
      case Command.Console:
        return props.onConsole(name);
      default:
        return props.onVmCommand?.(command, target);
    }
  };

  useInput(
    (input, key) => {
      const current = dialogRef.current;
      const command = commandForKey(input, key, current?.kind === 'stop' ? 'confirm' : current?.kind === 'delete' ? 'prompt' : 'dashboard');
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
        else if (key.backspace || key.delete) setDialog({ ...current, typed: current.typed.slice(0, -1), mismatch: false });
        else if (!key.ctrl && !key.meta && input !== '' && !/[\u0000-\u001F]/.test(input)) {
          setDialog({ ...current, typed: current.typed + input, mismatch: false });
        }
        return;
      }
      onDashboardKey(command);
    },
    { isActive },
  );

  const dialogLines =
    dialog?.kind === 'stop'
      ? confirmStopLines(dialog.name, width - 4).length + 2
      : dialog?.kind === 'delete'
        ? deletePromptLines(dialog.name, dialog.typed, dialog.mismatch, width - 4).length + 2
        : 0;
  const problemLines = problems.length * 2;
  const room = Math.max(1, height - 1 - problemLines - dialogLines);
  return (
    <Box flexDirection="column" width={width}>
      <VmTable
        width={width}
        height={room}
        theme={theme}
        vms={vms}
        problems={problems}
        pending={pending}
        {...(selected ? { selected: selected.name } : {})}
        {...(loading ? { loading } : {})}
      />
      {dialog?.kind === 'stop' ? <ConfirmStop width={width} theme={theme} name={dialog.name} /> : null}
      {dialog?.kind === 'delete' ? (
        <DeletePrompt width={width} theme={theme} name={dialog.name} typed={dialog.typed} mismatch={dialog.mismatch} />
      ) : null}
    </Box>
  );
}
