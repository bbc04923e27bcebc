// Live stats for screens: subscribes once the helper is ready (and again after a restart), keeps
// the history in a StatsHistory, and unsubscribes on unmount. Never blocks: the subscription's
// state is a status with a sentence when it fails.
import { useEffect, useRef, useState } from 'react';
import { useAnswerScope } from './useAnswerScope.js';
import type { HelperApi } from '../../rpc/api.js';
import { HelperRequestError, errorSentence } from '../../rpc/errors.js';
import { DEFAULT_STATS_INTERVAL_MS, StatsHistory } from '../statsHistory.js';

export type StatsStatus = 'waiting' | 'subscribing' | 'live' | 'failed';

export interface StatsState {
  status: StatsStatus;
  /** Why there are no live stats, as a sentence. */
  error?: string;
  /** Bumped on every sample, so screens re-render. */
  version: number;
}

export interface UseStats {
  state: StatsState;
  history: StatsHistory;
}

const METHOD_NOT_FOUND = -32601;
/** vm/stats and host/stats arrive together each interval; one frame draws both. */
export const STATS_COALESCE_MS = 50;

export function statsErrorSentence(error: unknown): string {
  if (error instanceof HelperRequestError && error.code === METHOD_NOT_FOUND) {
    return "This helper has no live stats ('stats/subscribe'); rebuild it with 'bash scripts/build-helper.sh'.";
  }
  return `Live stats are off: ${errorSentence(error)}`;
}

export function useStats(client: HelperApi | undefined, intervalMs = DEFAULT_STATS_INTERVAL_MS): UseStats {
  const history = useRef(new StatsHistory()).current;
  const [state, setState] = useState<StatsState>({ status: 'waiting', version: 0 });
  const scope = useAnswerScope([client, intervalMs]);

  useEffect(() => {
    if (!client) {
      history.forgetLatest();
      setState((s) => ({ status: 'waiting', version: s.version + 1 }));
      return;
    }
    const signal = scope();
    let redraw: NodeJS.Timeout | undefined;
    const bump = () => {
      if (signal.aborted || redraw) return;
      redraw = setTimeout(() => {
        redraw = undefined;
        if (!signal.aborted) setState((s) => ({ ...s, version: s.version + 1 }));
      }, STATS_COALESCE_MS);
    };
    // Listen before subscribing, so the first sample is not missed.
    const vmListener = client.onVmStats((params) => {
      history.addVmStats(params);
      bump();
    });
    const hostListener = client.onHostStats((params) => {
      history.addHostStats(params);
      bump();
    });
    setState((s) => ({ status: 'subscribing', version: s.version }));
    client.subscribeStats(intervalMs).then(
      (used) => {
        if (signal.aborted) return;
        history.setInterval(used);
        setState((s) => ({ status: 'live', version: s.version + 1 }));
      },
      (error: unknown) => {
        if (!signal.aborted) setState((s) => ({ status: 'failed', error: statsErrorSentence(error), version: s.version + 1 }));
      },
    );
    return () => {
      if (redraw) clearTimeout(redraw);
      vmListener.dispose();
      hostListener.dispose();
      // A helper that is gone or shutting down cannot answer; nothing is left subscribed then.
      void client.unsubscribeStats().catch(() => undefined);
    };
  }, [client, intervalMs, history, scope]);

  return { state, history };
}
