// Runs the install wizard: feeds keys to its state machine (src/ui/wizardState.ts) and does the
// work the machine asks for through the client: image lists, downloads, vm/create, vm/start and
// vm/install. A download in flight is stopped when the wizard goes away (its partial file is kept);
// an install is not: it runs in the VM's own host and outlives this client. Nothing here blocks rendering.
import { userInfo } from 'node:os';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useAnswerScope } from './useAnswerScope.js';
import { useRefState } from './useRefState.js';
import type { HelperApi } from '../../rpc/api.js';
import { HelperRequestError, errorSentence } from '../../rpc/errors.js';
import type { HostInfo, InitializeResult } from '../../rpc/protocol.js';
import type { PathProbe } from '../pathCompletion.js';
import { initialWizardState, reduceWizard, type WizardAction, type WizardEnv, type WizardState, type WizardTask } from '../wizardState.js';

/** What the wizard is given besides the client: the host, the probe, and where its outcomes go. */
export interface WizardOptions {
  init: InitializeResult;
  host: HostInfo;
  probe: PathProbe;
  taken: readonly string[];
  /** The guest user's default comes from it; by default the user this process runs as. */
  hostUser?: string;
  /** The wizard is over; `text` is a sentence for the status line. */
  onClose(text?: string, isError?: boolean): void;
  /** A VM was made or changed: the list should be read again. */
  onChanged(): void;
  /** The new VM runs: show its console. */
  onOpenConsole(name: string): void;
}

export interface UseWizard {
  state: WizardState;
  /** host/info as read when the wizard opened (free disk changes), else the one it was given. */
  host: HostInfo;
  send(action: WizardAction): void;
}

// The helper has no method that names its user; it runs as this process's user, so that name is
// the one it would choose too (PROTOCOL.md "Provisioning": default the host user's name).
function processUser(): string {
  try {
    return userInfo().username;
  } catch {
    return ''; // no passwd entry: the model offers "vmtui", as the helper would
  }
}

function isCancelled(error: unknown): boolean {
  return error instanceof HelperRequestError && error.kind === 'cancelled';
}

export function useWizard(client: HelperApi, options: WizardOptions): UseWizard {
  const [state, setState, stateRef] = useRefState(initialWizardState);
  const hooksRef = useRef({ ...options, client });
  hooksRef.current = { ...options, client };
  const scope = useAnswerScope([]);
  const abort = useRef<AbortController | undefined>(undefined);
  const [freshHost, setFreshHost] = useState<HostInfo>();
  const hostRef = useRef<HostInfo | undefined>(undefined);

  const send = useCallback((action: WizardAction) => {
    if (scope().aborted) return;
    const h = hooksRef.current;
    const env: WizardEnv = { init: h.init, host: hostRef.current ?? h.host, probe: h.probe, taken: h.taken, hostUser: h.hostUser ?? processUser() };
    // Keys can come faster than renders: each action sees the state the one before it left.
    const { state: next, tasks } = reduceWizard(stateRef.current, action, env);
    setState(next);
    for (const task of tasks) void run(task);
  }, []);

  const run = async (task: WizardTask): Promise<void> => {
    const h = hooksRef.current;
    const { client } = h;
    try {
      switch (task.kind) {
        case 'loadImages':
          try {
            send({ type: 'images', images: (await client.listIpsw()).images });
          } catch (error) {
            send({ type: 'imagesFailed', error: errorSentence(error) });
          }
          return;
        case 'loadLatest':
          try {
            send({ type: 'latest', latest: await client.latestIpsw() });
          } catch (error) {
            send({ type: 'latestFailed', error: errorSentence(error) });
          }
          return;
        case 'download': {
          const controller = new AbortController();
          abort.current = controller;
          const listening = client.onIpswProgress((progress) => {
            if (progress.url === task.url) send({ type: 'downloadProgress', progress });
          });
          try {
            if (task.discard) await client.deleteIpsw(task.discard);
            const result = await client.downloadIpsw({ url: task.url }, controller.signal);
            send({ type: 'downloaded', path: result.path });
          } finally {
            listening.dispose();
          }
          return;
        }
        case 'create': {
          if (task.params.image === undefined) {
            send({ type: 'created', name: (await client.createVm(task.params)).name });
            return;
          }
          // From a disk image: downloads and imports, with progress, and Esc may cancel it.
          const controller = new AbortController();
          abort.current = controller;
          const listening = client.onImageProgress((progress) => {
            if (progress.name === task.params.name) send({ type: 'imageProgress', progress });
          });
          try {
            send({ type: 'created', name: (await client.createVm(task.params, controller.signal)).name });
          } finally {
            listening.dispose();
          }
          return;
        }
        case 'start':
          await client.startVm(task.name);
          send({ type: 'started' });
          return;
        case 'install': {
          const controller = new AbortController();
          abort.current = controller;
          const listening = client.onInstallProgress((p) => {
            if (p.name === task.name) send({ type: 'installProgress', fraction: p.fraction, phase: p.phase });
          });
          try {
            await client.installVm(task.name, controller.signal);
            send({ type: 'installed' });
          } finally {
            listening.dispose();
          }
          return;
        }
        case 'abort':
          abort.current?.abort();
          return;
        case 'refresh':
          h.onChanged();
          return;
        case 'openConsole':
          h.onOpenConsole(task.name);
          return;
        case 'close':
          h.onClose(task.text, task.isError);
          return;
      }
    } catch (error) {
      send(isCancelled(error) ? { type: 'cancelled' } : { type: 'failed', error: errorSentence(error) });
    }
  };

  useEffect(() => {
    const signal = scope();
    // Sizes are checked against the free space now, not when vmtui started.
    hooksRef.current.client.hostInfo().then(
      (host) => {
        hostRef.current = host;
        if (!signal.aborted) setFreshHost(host);
      },
      () => undefined, // the facts read at start stand
    );
    return () => {
      // An image create is stopped too: the helper keeps a download's partial file, and no VM is made.
      const kind = stateRef.current.job?.kind;
      if (kind === 'downloading' || kind === 'importing') abort.current?.abort();
    };
  }, []);

  return { state, send, host: freshHost ?? options.host };
}
