// One VM's serial console for the console and detail screens: attach (the tail, then live
// console/data), type into it, and detach when the screen closes. The VM keeps running throughout.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useAnswerScope } from './useAnswerScope.js';
import type { HelperApi } from '../../rpc/api.js';
import { errorSentence } from '../../rpc/errors.js';
import { ConsoleScreen } from '../consoleScreen.js';

export type ConsoleStatus = 'attaching' | 'attached' | 'ended' | 'failed';

export interface ConsoleState {
  status: ConsoleStatus;
  /** A sentence for the console's status line. */
  note?: string;
  /** Bumped on every output, so the screen re-renders. */
  version: number;
}

export interface UseConsole {
  state: ConsoleState;
  screen: ConsoleScreen;
  /** Types text into the guest; writes go out in order. */
  type(data: string): void;
}

// The helper serves requests concurrently, so a detach sent just before an attach of the same VM
// could land after it and cut the new screen off. Each client's attaches and detaches go in order.
const consoleQueues = new WeakMap<HelperApi, Promise<unknown>>();

function inOrder<T>(client: HelperApi, op: () => Promise<T>): Promise<T> {
  const result = (consoleQueues.get(client) ?? Promise.resolve()).then(op);
  consoleQueues.set(client, result.catch(() => undefined));
  return result;
}

export function useConsole(client: HelperApi | undefined, name: string | undefined): UseConsole {
  const [state, setState] = useState<ConsoleState>({ status: 'attaching', version: 0 });
  // A fresh screen per VM, made during render so the first frame never shows another VM's output.
  const screen = useMemo(() => (void name, new ConsoleScreen()), [name]);
  const typing = useRef<Promise<void>>(Promise.resolve());
  const scope = useAnswerScope([client, name, screen]);

  useEffect(() => {
    if (!client || name === undefined) return;
    const signal = scope();
    typing.current = Promise.resolve();
    setState({ status: 'attaching', version: 0 });
    const update = (patch: Partial<ConsoleState>) => {
      if (!signal.aborted) setState((s) => ({ ...s, ...patch, version: s.version + 1 }));
    };

    // Output can arrive before the attach answer; keep it until the tail is on screen.
    let held: string[] | undefined = [];
    const output = client.onConsoleData((event) => {
      if (event.name !== name) return;
      if (held) held.push(event.data);
      else {
        screen.write(event.data);
        update({});
      }
    });
    const states = client.onStateChanged((event) => {
      if (event.name !== name) return;
      if (event.state === 'stopped') update({ status: 'ended', note: `VM '${name}' stopped. Press Ctrl-] to go back.` });
      else if (event.state === 'error') update({ status: 'ended', note: `VM '${name}' failed: ${event.reason ?? 'see its host.log'}` });
    });

    void (async () => {
      try {
        const { tail } = await inOrder(client, () => client.consoleAttach(name));
        screen.write(tail);
        for (const data of held ?? []) screen.write(data);
        held = undefined;
        update({ status: 'attached' });
      } catch (error) {
        held = undefined;
        update({ status: 'failed', note: errorSentence(error) });
      }
    })();

    return () => {
      output.dispose();
      states.dispose();
      void inOrder(client, () => client.consoleDetach(name)).catch(() => undefined); // a stopped VM has nothing to detach
    };
  }, [client, name, screen, scope]);

  const type = useCallback(
    (data: string) => {
      if (!client || name === undefined || data === '') return;
      typing.current = typing.current
        .then(() => client.consoleWrite(name, data))
        .catch((error: unknown) => setState((s) => ({ ...s, note: errorSentence(error), version: s.version + 1 })));
    },
    [client, name],
  );

  return { state, screen, type };
}
