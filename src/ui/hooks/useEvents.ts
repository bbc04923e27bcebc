// Recent state changes of every VM (vm/stateChanged), newest first, for the ticker and the
// detail screen. Kept across helper restarts: they are what happened this session.
import { useEffect, useState } from 'react';
import type { HelperApi } from '../../rpc/api.js';
import type { StateChangedParams } from '../../rpc/protocol.js';

export const EVENTS_KEPT = 50;

const same = (a: StateChangedParams, b: StateChangedParams) =>
  a.name === b.name && a.state === b.state && a.step === b.step && a.time === b.time;

/** Newest first; an event that repeats one already kept (the helper may report a stop twice) is dropped. */
export function addEvent(events: readonly StateChangedParams[], event: StateChangedParams, kept = EVENTS_KEPT): StateChangedParams[] {
  if (events.some((e) => same(e, event))) return [...events];
  return [event, ...events].slice(0, kept);
}

export function useEvents(client: HelperApi | undefined): StateChangedParams[] {
  const [events, setEvents] = useState<StateChangedParams[]>([]);
  useEffect(() => {
    if (!client) return;
    const listening = client.onStateChanged((event) => setEvents((list) => addEvent(list, event)));
    return () => listening.dispose();
  }, [client]);
  return events;
}
