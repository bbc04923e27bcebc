// The clone dialog for the app: which VM it clones and the name typed, the vm/clone call in
// flight, and what came of it (a sentence on the status line, the VM list refreshed, the new VM
// to select). The typed name survives every error, the helper's included.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HelperApi } from '../../rpc/api.js';
import { errorSentence, HelperRequestError } from '../../rpc/errors.js';
import { newVmNameProblem, uniqueName } from '../../rpc/names.js';
import type { CopyProgressParams, VMCloneResult } from '../../rpc/protocol.js';
import { copyStoppedSentence } from '../../format/progress.js';
import { strategyWords } from '../../format/snapshot.js';
import type { VmActions } from './useVms.js';

export interface CloneQuestion {
  source: string;
  /** The source is running: it is paused for the copy. */
  sourceRunning: boolean;
  typed: string;
  /** Why the typed name cannot be used, or the helper's sentence for the last try. */
  problem?: string;
}

export interface CloneState {
  /** The open dialog; undefined while it is closed. */
  question?: CloneQuestion;
  /** The clone in flight. */
  pending?: { source: string; target: string; progress?: CopyProgressParams };
  /** The last VM made, for the table to select (a new object each time). */
  made?: { name: string };
}

/** '<name>-clone', or '<name>-clone-2', … when that is taken; shortened to fit the name rule. */
export function defaultCloneName(source: string, taken: readonly string[]): string {
  return uniqueName(source, taken, (n) => (n === 1 ? '-clone' : `-clone-${n}`));
}

/** Why `target` cannot be the clone's name, checked before the helper is asked. */
export function cloneTargetProblem(target: string, taken: readonly string[]): string | undefined {
  return newVmNameProblem(target, taken);
}

export function cloneMessage(source: string, result: VMCloneResult): string {
  const target = result.vm.name;
  const paused = result.pausedForClone
    ? `VM '${source}' was paused for the copy and resumed.`
    : `VM '${source}' was not running, so it was not paused.`;
  return `Cloned '${source}' to '${target}' by ${strategyWords(result.strategy)}. ${paused}`;
}

export interface UseClone {
  state: CloneState;
  open(source: string, sourceRunning: boolean, taken: string[]): void;
  edit(change: (typed: string) => string): void;
  /** Checks the typed name against `taken` and the name rule, then asks the helper. */
  submit(taken: string[]): void;
  /** Stops the clone in flight (nothing of it is left; a paused source is resumed). */
  stop(): void;
  close(): void;
}

export function useClone(client: HelperApi | undefined, vms: Pick<VmActions, 'say' | 'refresh'>): UseClone {
  const [state, setState] = useState<CloneState>({});
  // Keys can come faster than renders: changes read and write this ref, then render.
  const current = useRef<CloneState>({});
  const alive = useRef(true);
  const stopping = useRef<AbortController | undefined>(undefined);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  const update = useCallback((change: (s: CloneState) => CloneState) => {
    if (!alive.current) return;
    current.current = change(current.current);
    setState(current.current);
  }, []);
  const setQuestion = useCallback(
    (change: (q: CloneQuestion) => CloneQuestion | undefined) =>
      update((s) => {
        const { question, ...rest } = s;
        const next = question && change(question);
        return next ? { ...rest, question: next } : rest;
      }),
    [update],
  );

  const run = useCallback(
    async (question: CloneQuestion) => {
      const { source, typed: target } = question;
      if (!client) return setQuestion((q) => ({ ...q, problem: 'The helper is not running, so VMs cannot be cloned; restart vmtui.' }));
      update((s) => ({ ...s, pending: { source, target } }));
      const stillOpen = () => current.current.question?.source === source && current.current.question.typed === target;
      const controller = new AbortController();
      stopping.current = controller;
      const listening = client.onCopyProgress((progress) => {
        if (progress.operation !== 'clone' || progress.vm !== source || progress.name !== target) return;
        update((s) => (s.pending ? { ...s, pending: { ...s.pending, progress } } : s));
      });
      try {
        const result = await client.cloneVm(source, target, controller.signal);
        if (!alive.current) return;
        update(({ pending: _done, question, ...rest }) => ({ ...rest, ...(question && !stillOpen() ? { question } : {}), made: { name: result.vm.name } }));
        vms.say({ tone: 'info', text: cloneMessage(source, result) });
        vms.refresh();
      } catch (error) {
        const stopped = error instanceof HelperRequestError && error.kind === 'cancelled';
        const sentence = stopped ? copyStoppedSentence('clone', source, target) : errorSentence(error);
        const open = stillOpen();
        update(({ pending: _done, ...rest }) => rest);
        // A dialog hidden meanwhile cannot show it: the status line does.
        if (open) setQuestion((q) => ({ ...q, problem: sentence }));
        else vms.say({ tone: 'error', text: sentence });
      } finally {
        listening.dispose();
        if (stopping.current === controller) stopping.current = undefined;
      }
    },
    [client, update, setQuestion, vms],
  );

  return useMemo(
    () => ({
      state,
      open: (source, sourceRunning, taken) => update((s) => ({ ...s, question: { source, sourceRunning, typed: defaultCloneName(source, taken) } })),
      edit: (change) =>
        setQuestion((q) => {
          const { problem: _cleared, ...rest } = q;
          return { ...rest, typed: change(q.typed) };
        }),
      submit: (taken) => {
        const question = current.current.question;
        if (!question) return;
        if (current.current.pending) {
          return setQuestion((q) => ({ ...q, problem: `VM '${current.current.pending?.source}' is still being cloned; wait for it to finish.` }));
        }
        const problem = cloneTargetProblem(question.typed, taken);
        if (problem) return setQuestion((q) => ({ ...q, problem }));
        void run(question);
      },
      stop: () => stopping.current?.abort(),
      close: () => update(({ question: _closed, ...rest }) => rest),
    }),
    [state, update, setQuestion, run],
  );
}
