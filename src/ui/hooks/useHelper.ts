// The only bridge from screens to the helper: starts a client from the factory it is given,
// reads the host facts, restarts a helper that dies (with a banner until the new one is ready),
// and shuts it down on request or unmount.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { HelperApi, HelperClientFactory } from '../../rpc/api.js';
import type { HelperStart } from '../../rpc/earlyHelper.js';
import { HelperGoneError, describeExit, errorSentence, type HelperExit } from '../../rpc/errors.js';
import type { HostInfo, InitializeResult } from '../../rpc/protocol.js';

export type HelperStatus = 'starting' | 'initializing' | 'readingHost' | 'ready' | 'restarting' | 'failed' | 'gone' | 'stopping';

export interface HelperState {
  status: HelperStatus;
  init?: InitializeResult;
  host?: HostInfo;
  logPath?: string;
  /** A sentence for the banner: the helper failed, died (and is being restarted), or was given up on. */
  error?: string;
}

export type HelperAction =
  | { type: 'started'; logPath: string }
  | { type: 'initialized'; init: InitializeResult }
  | { type: 'hostRead'; host: HostInfo }
  | { type: 'failed'; error: string }
  | { type: 'gone'; error: string; restarting: boolean }
  | { type: 'stopping' };

export const initialHelperState: HelperState = { status: 'starting' };

/** A helper that dies more often than this within RESTART_WINDOW_MS is not restarted again. */
export const MAX_RESTARTS = 3;
export const RESTART_WINDOW_MS = 60_000;
/** The first restart waits this long, the next twice as long, and so on. */
export const RESTART_DELAY_MS = 500;

export function helperReducer(state: HelperState, action: HelperAction): HelperState {
  // Given up on, failed for good, or stopping: nothing later changes that.
  if (state.status === 'gone' || state.status === 'stopping' || state.status === 'failed') {
    return action.type === 'stopping' ? { ...state, status: 'stopping' } : state;
  }
  switch (action.type) {
    case 'started':
      return { ...state, status: 'initializing', logPath: action.logPath };
    case 'initialized':
      return { ...state, status: 'readingHost', init: action.init };
    case 'hostRead': {
      // Back in business: the banner about a dead helper goes.
      const { error: _cleared, ...rest } = state;
      return { ...rest, status: 'ready', host: action.host };
    }
    case 'failed':
      return { ...state, status: 'failed', error: action.error };
    case 'gone':
      return { ...state, status: action.restarting ? 'restarting' : 'gone', error: action.error };
    case 'stopping':
      return { ...state, status: 'stopping' };
  }
}

/** The banner for a helper that died: what happened, where its log is, and what vmtui does now. */
export function helperDiedSentence(exit: HelperExit, logPath: string, deathsInWindow: number): string {
  const what = `The vmtui helper ${describeExit(exit)}. Its log is at ${logPath}`;
  if (deathsInWindow > MAX_RESTARTS) {
    return `${what}. It died ${deathsInWindow} times within a minute, so vmtui stopped restarting it; see the log, then restart vmtui.`;
  }
  return `${what}. vmtui is starting a new helper; running VMs are not affected.`;
}

export interface UseHelper {
  state: HelperState;
  /** The client once host facts are in and while the helper lives; other hooks take it from here. */
  client: HelperApi | undefined;
  /** Shuts the helper down; resolves once it has exited. Safe to call more than once. */
  shutdown: () => Promise<void>;
}

/** The state of a helper that was started, and answered, before the UI. */
export function startedHelperState(start: HelperStart): HelperState {
  return { status: 'ready', init: start.init, host: start.host, logPath: start.client.logPath };
}

/** `start`: a client that answered before the UI was drawn; the first frame shows its facts. */
export function useHelper(factory: HelperClientFactory, start?: HelperStart): UseHelper {
  const [state, dispatch] = useReducer(helperReducer, start ? startedHelperState(start) : initialHelperState);
  const clientRef = useRef<Promise<HelperApi | undefined>>(Promise.resolve(start?.client));
  const stopping = useRef(false);
  const [client, setClient] = useState<HelperApi | undefined>(start?.client);
  // Only the first helper's life may be the one started before the UI (not a restart's).
  const startRef = useRef(start);

  useEffect(() => {
    // Each helper's life has a signal: a newer boot or the unmount aborts it, and its answers are dropped.
    let life = new AbortController();
    let restartTimer: NodeJS.Timeout | undefined;
    const deaths: number[] = [];

    const died = (exit: HelperExit, logPath: string) => {
      const now = Date.now();
      deaths.push(now);
      while ((deaths[0] ?? now) < now - RESTART_WINDOW_MS) deaths.shift();
      const restarting = deaths.length <= MAX_RESTARTS && !stopping.current;
      setClient(undefined);
      dispatch({ type: 'gone', error: helperDiedSentence(exit, logPath, deaths.length), restarting });
      if (!restarting) return;
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (!life.signal.aborted && !stopping.current) boot();
      }, RESTART_DELAY_MS * 2 ** (deaths.length - 1));
    };

    // One helper's life: start it, read the host, hand it out. A newer boot makes older ones mute.
    const boot = () => {
      life.abort();
      life = new AbortController();
      const { signal } = life;
      const current = () => !signal.aborted;
      const send = (action: HelperAction) => {
        if (current()) dispatch(action);
      };
      const started = startRef.current;
      startRef.current = undefined;
      if (started) {
        // Started and answered before the UI: the state already says so; only its end is watched.
        started.client.onExit((exit, expected) => {
          if (!expected && current()) died(exit, started.client.logPath);
        });
        clientRef.current = Promise.resolve(started.client);
        return;
      }
      const ready = (async () => {
        let started: HelperApi;
        try {
          started = await factory();
        } catch (error) {
          send({ type: 'failed', error: errorSentence(error) });
          return undefined;
        }
        started.onExit((exit, expected) => {
          if (!expected && current()) died(exit, started.logPath);
        });
        if (!current()) return started;
        send({ type: 'started', logPath: started.logPath });
        try {
          // Asked together: the first frame with host facts waits for one answer, not two in turn.
          const init = started.initialize();
          const host = started.hostInfo();
          host.catch(() => undefined); // a failure is reported below, after initialize's
          send({ type: 'initialized', init: await init });
          if (current()) send({ type: 'hostRead', host: await host });
          if (current()) setClient(started);
        } catch (error) {
          // A helper that died on the way is handled by its exit listener (restart or give up).
          if (!(error instanceof HelperGoneError)) send({ type: 'failed', error: errorSentence(error) });
        }
        return started;
      })();
      clientRef.current = ready;
    };

    boot();
    return () => {
      life.abort();
      if (restartTimer) clearTimeout(restartTimer);
      void clientRef.current.then((c) => c?.shutdown());
    };
  }, [factory]);

  const shutdown = useCallback(async () => {
    stopping.current = true;
    dispatch({ type: 'stopping' });
    const client = await clientRef.current;
    await client?.shutdown();
  }, []);

  const usable = state.status === 'ready' ? client : undefined;
  return { state, client: usable, shutdown };
}
