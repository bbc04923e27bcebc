// The VM list for screens: loaded with vm/list, kept live from vm/stateChanged and vm/changed
// (each notification re-fetches the VM it names, whoever made the change), and the lifecycle
// actions with their pending state and sentences. Every call is async; nothing here blocks rendering.
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'react';
import { useAnswerScope } from './useAnswerScope.js';
import type { HelperApi } from '../../rpc/api.js';
import { HelperRequestError, errorSentence } from '../../rpc/errors.js';
import { compareText } from '../../format/text.js';
import { vmChangedNotification, vmSuspendRequest, type StateChangedParams, type VMChangedParams, type VMInfo, type VMProblem } from '../../rpc/protocol.js';

export type PendingOp = 'starting' | 'stopping' | 'forcing off' | 'pausing' | 'resuming' | 'deleting' | 'suspending';

export interface StatusMessage {
  tone: 'info' | 'error';
  text: string;
}

export interface VmsState {
  status: 'idle' | 'loading' | 'ready' | 'failed';
  vms: VMInfo[];
  problems: VMProblem[];
  /** Requests in flight, by VM name. */
  pending: Record<string, PendingOp>;
  message?: StatusMessage;
}

export type VmsAction =
  | { type: 'loading' }
  | { type: 'loaded'; vms: VMInfo[]; problems: VMProblem[] }
  | { type: 'loadFailed'; error: string }
  | { type: 'vmUpdated'; vm: VMInfo }
  | { type: 'vmRemoved'; name: string }
  | { type: 'stateSeen'; event: StateChangedParams }
  | { type: 'pending'; name: string; op: PendingOp }
  | { type: 'settled'; name: string; op: PendingOp }
  | { type: 'message'; message: StatusMessage | undefined };

export const initialVmsState: VmsState = { status: 'idle', vms: [], problems: [], pending: {} };

const byName = (a: VMInfo, b: VMInfo) => compareText(a.name, b.name);

export function vmsReducer(state: VmsState, action: VmsAction): VmsState {
  switch (action.type) {
    case 'loading':
      return { ...state, status: 'loading' };
    case 'loaded':
      return { ...state, status: 'ready', vms: [...action.vms].sort(byName), problems: action.problems };
    case 'loadFailed':
      return { ...state, status: 'failed', message: { tone: 'error', text: action.error } };
    case 'vmUpdated': {
      const others = state.vms.filter((vm) => vm.name !== action.vm.name);
      return { ...state, vms: [...others, action.vm].sort(byName) };
    }
    case 'vmRemoved': {
      const { [action.name]: _dropped, ...pending } = state.pending;
      return { ...state, vms: state.vms.filter((vm) => vm.name !== action.name), pending };
    }
    case 'stateSeen': {
      const { event } = action;
      // Show the new state at once; the re-fetched VMInfo fills in the rest.
      const vms = state.vms.map((vm) => {
        if (vm.name !== event.name) return vm;
        const next: VMInfo = { ...vm, state: event.state };
        if (event.reason) next.stateReason = event.reason;
        else delete next.stateReason;
        if (event.sshReady !== undefined && vm.ssh) next.ssh = { ...vm.ssh, ready: event.sshReady };
        return next;
      });
      return { ...state, vms };
    }
    case 'pending':
      return { ...state, pending: { ...state.pending, [action.name]: action.op } };
    case 'settled': {
      // A later request (x again: force) may have replaced this one; leave that one showing.
      if (state.pending[action.name] !== action.op) return state;
      const { [action.name]: _done, ...pending } = state.pending;
      return { ...state, pending };
    }
    case 'message':
      return action.message ? { ...state, message: action.message } : (({ message: _m, ...rest }) => rest)(state);
  }
}

/** A sentence for a state change worth telling the user about, or undefined. */
export function stateChangeMessage(event: StateChangedParams): StatusMessage | undefined {
  const vm = `VM '${event.name}'`;
  if (event.step === 'powerButton') return { tone: 'info', text: `${vm}: pressed the power button; waiting for the guest to power off.` };
  if (event.step === 'forceQuit') return { tone: 'info', text: `${vm}: forcing it off.` };
  if (event.state === 'error') return { tone: 'error', text: `${vm} failed: ${event.reason ?? 'see its host.log'}` };
  if (event.state === 'stopped') return { tone: 'info', text: event.reason ? `${vm} is stopped: ${event.reason}.` : `${vm} is stopped.` };
  if (event.sshReady === true) return { tone: 'info', text: `${vm} is ready for SSH: press h, or run 'vmtui ssh ${event.name}'.` };
  if (event.step === 'stateSetAside') return { tone: 'error', text: event.reason ?? `${vm}: its saved state was set aside; it boots from its disk.` };
  if (event.state === 'restarting') return { tone: 'info', text: `${vm} is restarting: the guest rebooted itself.` };
  return undefined;
}

export interface VmActions {
  start(name: string): void;
  stop(name: string, force: boolean): void;
  pauseOrResume(name: string): void;
  suspend(name: string): void;
  remove(name: string): void;
  refresh(): void;
  say(message: StatusMessage | undefined): void;
}

export interface UseVms {
  state: VmsState;
  actions: VmActions;
}

export function useVms(client: HelperApi | undefined): UseVms {
  const [state, dispatch] = useReducer(vmsReducer, initialVmsState);
  const scope = useAnswerScope([client]);
  const stateRef = useRef(state);
  stateRef.current = state;
  // Answers to vm/get can overtake each other; only the newest request per VM may land.
  const fetchSeq = useRef(new Map<string, number>());

  // Answers after the app closed (or the helper was replaced) are dropped.
  const send = useCallback((action: VmsAction) => {
    if (!scope().aborted) dispatch(action);
  }, [scope]);

  const refetch = useCallback(
    async (c: HelperApi, name: string) => {
      const seq = (fetchSeq.current.get(name) ?? 0) + 1;
      fetchSeq.current.set(name, seq);
      try {
        const vm = await c.getVm(name);
        if (fetchSeq.current.get(name) === seq) send({ type: 'vmUpdated', vm });
      } catch (error) {
        if (fetchSeq.current.get(name) !== seq) return;
        if (error instanceof HelperRequestError && error.kind === 'notFound') send({ type: 'vmRemoved', name });
        // A bundle that cannot be read belongs in `problems`, which only vm/list tells.
        if (error instanceof HelperRequestError && error.kind === 'corruptConfig') {
          const result = await c.listVms().catch(() => undefined);
          if (result) send({ type: 'loaded', vms: result.vms, problems: result.problems });
        }
        // Anything else: the notification's state stands until the next one.
      }
    },
    [send],
  );

  const load = useCallback(
    async (c: HelperApi) => {
      send({ type: 'loading' });
      try {
        const result = await c.listVms();
        send({ type: 'loaded', vms: result.vms, problems: result.problems });
      } catch (error) {
        send({ type: 'loadFailed', error: errorSentence(error) });
      }
    },
    [send],
  );

  // A VM made, deleted, renamed or reconfigured by anyone: drop what went, fetch what is there now.
  const bundleChanged = useCallback(
    (c: HelperApi, change: VMChangedParams) => {
      if (change.change === 'removed' || change.change === 'renamed') {
        // An answer still on its way for the old name must not bring it back.
        fetchSeq.current.set(change.name, (fetchSeq.current.get(change.name) ?? 0) + 1);
        send({ type: 'vmRemoved', name: change.name });
      }
      const now = change.change === 'renamed' ? change.newName : change.change === 'removed' ? undefined : change.name;
      if (now !== undefined) void refetch(c, now);
    },
    [refetch, send],
  );

  useEffect(() => {
    if (!client) return;
    void load(client);
    const listening = client.onStateChanged((event) => {
      send({ type: 'stateSeen', event });
      const message = stateChangeMessage(event);
      if (message) send({ type: 'message', message });
      void refetch(client, event.name);
    });
    const changes = client.on(vmChangedNotification, (change) => bundleChanged(client, change));
    return () => {
      listening.dispose();
      changes.dispose();
    };
  }, [client, load, refetch, bundleChanged, send]);

  const actions = useMemo<VmActions>(() => {
    const say = (message: StatusMessage | undefined) => send({ type: 'message', message });
    const run = async (
      name: string,
      op: PendingOp,
      call: (c: HelperApi) => Promise<VMInfo | null>,
      done: (vm: VMInfo | null) => string | undefined,
    ) => {
      if (!client) {
        say({ tone: 'error', text: 'The helper is not running, so VMs cannot be changed; restart vmtui.' });
        return;
      }
      send({ type: 'pending', name, op });
      say(undefined);
      const seq = fetchSeq.current.get(name) ?? 0;
      try {
        const vm = await call(client);
        // The answer describes the VM as of the request; a notification may have moved it on since.
        if (vm && (fetchSeq.current.get(name) ?? 0) === seq) send({ type: 'vmUpdated', vm });
        const text = done(vm);
        if (text) say({ tone: 'info', text });
        if (vm) await refetch(client, name);
      } catch (error) {
        say({ tone: 'error', text: errorSentence(error) });
        await refetch(client, name);
      } finally {
        send({ type: 'settled', name, op });
      }
    };
    const isNow = (name: string) => (vm: VMInfo | null) => `VM '${name}' is ${vm?.state ?? 'changed'}.`;
    return {
      start: (name) => void run(name, 'starting', (c) => c.startVm(name), isNow(name)),
      // The stop ladder reports itself through vm/stateChanged; see stateChangeMessage.
      stop: (name, force) => void run(name, force ? 'forcing off' : 'stopping', (c) => c.stopVm({ name, force }), () => undefined),
      pauseOrResume: (name) => {
        const vm = stateRef.current.vms.find((v) => v.name === name);
        if (vm?.state === 'paused') void run(name, 'resuming', (c) => c.resumeVm(name), isNow(name));
        else if (vm?.state === 'running') void run(name, 'pausing', (c) => c.pauseVm(name), isNow(name));
        else say({ tone: 'error', text: `VM '${name}' is ${vm?.state ?? 'gone'}; only a running VM can be paused, and only a paused one resumed.` });
      },
      suspend: (name) => {
        const vm = stateRef.current.vms.find((v) => v.name === name);
        if (vm?.state === 'running' || vm?.state === 'paused') {
          void run(name, 'suspending', (c) => c.request(vmSuspendRequest, { name }), (v) => v?.stateReason ?? isNow(name)(v));
        } else {
          say({ tone: 'error', text: `VM '${name}' is ${vm?.state ?? 'gone'}; only a running or paused VM can be suspended.` });
        }
      },
      remove: (name) =>
        void run(
          name,
          'deleting',
          async (c) => {
            await c.deleteVm(name);
            send({ type: 'vmRemoved', name });
            return null;
          },
          () => `Deleted VM '${name}'.`,
        ),
      refresh: () => {
        if (client) void load(client);
      },
      say,
    };
  }, [client, load, refetch, send]);

  return { state, actions };
}
