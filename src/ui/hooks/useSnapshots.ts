// One VM's snapshot tree for the snapshots screen: loaded with snapshot/list, and the create,
// restore and delete calls with their pending state and sentences. Every call is async; answers
// that arrive after the screen closed (or moved to another VM) are dropped.
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import type { HelperApi } from '../../rpc/api.js';
import { errorSentence, HelperRequestError } from '../../rpc/errors.js';
import { vmChangedNotification, type CopyProgressParams, type SnapshotListResult } from '../../rpc/protocol.js';
import { copyLine, copyStoppedSentence } from '../../format/progress.js';
import { strategyWords } from '../../format/snapshot.js';
import { formatBytes } from '../../format/vm.js';
import type { StatusMessage } from './useVms.js';

export type SnapshotOp = 'making' | 'restoring' | 'deleting';

export interface SnapshotsState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  list?: SnapshotListResult;
  /** The one change in flight (the helper allows one per VM). */
  pending?: { op: SnapshotOp; name: string; progress?: CopyProgressParams };
  message?: StatusMessage;
}

export type SnapshotsAction =
  | { type: 'reset' }
  | { type: 'loading' }
  | { type: 'loaded'; list: SnapshotListResult }
  | { type: 'loadFailed'; error: string }
  | { type: 'pending'; op: SnapshotOp; name: string }
  | { type: 'progress'; progress: CopyProgressParams }
  | { type: 'settled' }
  | { type: 'message'; message: StatusMessage | undefined };

export const initialSnapshotsState: SnapshotsState = { status: 'idle' };

export function snapshotsReducer(state: SnapshotsState, action: SnapshotsAction): SnapshotsState {
  switch (action.type) {
    case 'reset':
      return initialSnapshotsState;
    case 'loading':
      return { ...state, status: 'loading' };
    case 'loaded':
      return { ...state, status: 'ready', list: action.list };
    case 'loadFailed':
      return { ...state, status: 'failed', message: { tone: 'error', text: action.error } };
    case 'pending':
      return { ...state, pending: { op: action.op, name: action.name } };
    case 'progress':
      return state.pending ? { ...state, pending: { ...state.pending, progress: action.progress } } : state;
    case 'settled': {
      const { pending: _done, ...rest } = state;
      return rest;
    }
    case 'message': {
      const { message: _old, ...rest } = state;
      return action.message ? { ...rest, message: action.message } : rest;
    }
  }
}

/** The sentence for work in flight. */
export function pendingText(pending: SnapshotsState['pending']): string | undefined {
  if (!pending) return undefined;
  if (pending.progress) return `${copyLine(pending.progress)} (Esc stops it)`;
  const verb = { making: 'Making', restoring: 'Restoring', deleting: 'Deleting' }[pending.op];
  return `${verb} snapshot '${pending.name}'…`;
}

export interface SnapshotActions {
  /** Resolves to undefined when the snapshot was made, else the helper's sentence. */
  create(name: string, note: string | undefined): Promise<string | undefined>;
  restore(name: string): void;
  remove(name: string): void;
  /** Stops the snapshot or restore copy in flight (nothing of it is left). */
  stop(): void;
  say(message: StatusMessage | undefined): void;
}

export interface UseSnapshots {
  state: SnapshotsState;
  actions: SnapshotActions;
}

/** `onChanged` runs after a change the VM list should see (a restore changes the VM's disk and settings). */
export function useSnapshots(client: HelperApi | undefined, vm: string | undefined, onChanged?: () => void): UseSnapshots {
  const [state, dispatch] = useReducer(snapshotsReducer, initialSnapshotsState);
  // Bumped when the screen closes or changes VM: older answers see a different number and are dropped.
  const generation = useRef(0);
  const busy = useRef(false);
  // Aborts the create or restore in flight (sends $/cancelRequest).
  const stopping = useRef<AbortController | undefined>(undefined);
  const onChangedRef = useRef(onChanged);
  onChangedRef.current = onChanged;

  const load = useCallback(
    async (c: HelperApi, name: string, gen: number, quietly = false) => {
      if (!quietly) dispatch({ type: 'loading' });
      try {
        const list = await c.listSnapshots(name);
        if (generation.current === gen) dispatch({ type: 'loaded', list });
      } catch (error) {
        if (generation.current === gen) dispatch({ type: 'loadFailed', error: errorSentence(error) });
      }
    },
    [],
  );

  useEffect(() => {
    const gen = ++generation.current;
    busy.current = false;
    dispatch({ type: 'reset' });
    if (!client || vm === undefined) return;
    void load(client, vm, gen);
    // Snapshots made, restored or deleted by another client or the CLI; this screen's own changes
    // reload when they finish.
    const listening = client.on(vmChangedNotification, (change) => {
      if (change.name === vm && change.change === 'updated' && !busy.current && generation.current === gen) {
        void load(client, vm, gen, true);
      }
    });
    return () => {
      generation.current++;
      listening.dispose();
    };
  }, [client, vm, load]);

  const actions = useMemo<SnapshotActions>(() => {
    const say = (message: StatusMessage | undefined) => dispatch({ type: 'message', message });
    /** Runs one change; returns the helper's sentence on failure. */
    const run = async (op: SnapshotOp, name: string, call: (c: HelperApi, vm: string, signal: AbortSignal) => Promise<string>): Promise<string | undefined> => {
      if (!client || vm === undefined) return 'The helper is not running, so snapshots cannot be changed; restart vmtui.';
      if (busy.current) return 'Another snapshot change is still running; wait for it to finish.';
      const gen = generation.current;
      busy.current = true;
      dispatch({ type: 'pending', op, name });
      say(undefined);
      const controller = new AbortController();
      stopping.current = controller;
      const operation = op === 'making' ? 'snapshot' : 'restore';
      const listening = client.onCopyProgress((progress) => {
        if (progress.vm === vm && progress.name === name && progress.operation === operation && generation.current === gen) {
          dispatch({ type: 'progress', progress });
        }
      });
      try {
        const done = await call(client, vm, controller.signal);
        if (generation.current !== gen) return undefined;
        onChangedRef.current?.();
        // The tree shows the change before the sentence about it.
        await load(client, vm, gen);
        if (generation.current === gen) say({ tone: 'info', text: done });
        return undefined;
      } catch (error) {
        if (generation.current === gen) await load(client, vm, gen);
        if (error instanceof HelperRequestError && error.kind === 'cancelled' && op !== 'deleting') return copyStoppedSentence(operation, vm, name);
        return errorSentence(error);
      } finally {
        listening.dispose();
        if (stopping.current === controller) stopping.current = undefined;
        if (generation.current === gen) {
          busy.current = false;
          dispatch({ type: 'settled' });
        }
      }
    };
    const reportFailure = (sentence: string | undefined) => {
      if (sentence) say({ tone: 'error', text: sentence });
    };
    return {
      create: (name, note) =>
        run('making', name, async (c, v, signal) => {
          const snap = await c.createSnapshot(note === undefined ? { vm: v, name } : { vm: v, name, note }, signal);
          return `Made snapshot '${name}' of VM '${v}' by ${strategyWords(snap.strategy)}; it uses ${formatBytes(snap.allocatedBytes)}.`;
        }),
      restore: (name) =>
        void run('restoring', name, async (c, v, signal) => {
          const result = await c.restoreSnapshot(v, name, signal);
          return `VM '${v}' is back at snapshot '${result.current}' (${strategyWords(result.strategy)}).`;
        }).then(reportFailure),
      remove: (name) =>
        void run('deleting', name, async (c, v) => {
          await c.deleteSnapshot(v, name);
          return `Deleted snapshot '${name}' of VM '${v}'.`;
        }).then(reportFailure),
      stop: () => stopping.current?.abort(),
      say,
    };
  }, [client, vm, load]);

  return { state, actions };
}
