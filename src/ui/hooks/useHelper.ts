// The only bridge from screens to the helper: starts a client from the factory it is given,
// reads the host facts, reports the helper's death, and shuts it down on request or unmount.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { HelperClient, HelperClientFactory } from '../../rpc/client.js';
import { HelperGoneError, errorSentence } from '../../rpc/errors.js';
import type { HostInfo, InitializeResult } from '../../rpc/protocol.js';

export type HelperStatus = 'starting' | 'initializing' | 'readingHost' | 'ready' | 'failed' | 'gone' | 'stopping';

export interface HelperState {
  status: HelperStatus;
  init?: InitializeResult;
  host?: HostInfo;
  logPath?: string;
  /** A sentence for the banner when status is failed or gone. */
  error?: string;
}

export type HelperAction =
  | { type: 'started'; logPath: string }
  | { type: 'initialized'; init: InitializeResult }
  | { type: 'hostRead'; host: HostInfo }
  | { type: 'failed'; error: string }
  | { type: 'gone'; error: string }
  | { type: 'stopping' };

export const initialHelperState: HelperState = { status: 'starting' };

export function helperReducer(state: HelperState, action: HelperAction): HelperState {
  // Once the helper is gone or stopping, nothing it said earlier changes that.
  if (state.status === 'gone' || state.status === 'stopping') {
    return action.type === 'stopping' ? { ...state, status: 'stopping' } : state;
  }
  switch (action.type) {
    case 'started':
      return { ...state, status: 'initializing', logPath: action.logPath };
    case 'initialized':
      return { ...state, status: 'readingHost', init: action.init };
    case 'hostRead':
      return { ...state, status: 'ready', host: action.host };
    case 'failed':
      return { ...state, status: 'failed', error: action.error };
    case 'gone':
      return { ...state, status: 'gone', error: action.error };
    case 'stopping':
      return { ...state, status: 'stopping' };
  }
}

export interface UseHelper {
  state: HelperState;
  /** The client once host facts are in and while the helper lives; other hooks take it from here. */
  client: HelperClient | undefined;
  /** Shuts the helper down; resolves once it has exited. Safe to call more than once. */
  shutdown: () => Promise<void>;
}

export function useHelper(factory: HelperClientFactory): UseHelper {
  const [state, dispatch] = useReducer(helperReducer, initialHelperState);
  const clientRef = useRef<Promise<HelperClient | undefined>>(Promise.resolve(undefined));
  const [client, setClient] = useState<HelperClient>();

  useEffect(() => {
    let unmounted = false;
    const send = (action: HelperAction) => {
      if (!unmounted) dispatch(action);
    };
    const ready = (async () => {
      let client: HelperClient;
      try {
        client = await factory();
      } catch (error) {
        send({ type: 'failed', error: errorSentence(error) });
        return undefined;
      }
      client.onExit((_exit, expected, gone) => {
        if (!expected) send({ type: 'gone', error: gone.message });
      });
      if (unmounted) return client;
      send({ type: 'started', logPath: client.logPath });
      try {
        send({ type: 'initialized', init: await client.initialize() });
        if (!unmounted) send({ type: 'hostRead', host: await client.hostInfo() });
        if (!unmounted) setClient(client);
      } catch (error) {
        send({ type: error instanceof HelperGoneError ? 'gone' : 'failed', error: errorSentence(error) });
      }
      return client;
    })();
    clientRef.current = ready;
    return () => {
      unmounted = true;
      void ready.then((client) => client?.shutdown());
    };
  }, [factory]);

  const shutdown = useCallback(async () => {
    dispatch({ type: 'stopping' });
    const client = await clientRef.current;
    await client?.shutdown();
  }, []);

  const usable = state.status === 'ready' ? client : undefined;
  return { state, client: usable, shutdown };
}
