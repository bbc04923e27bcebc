// Recent state changes of every VM (vm/stateChanged), newest first, for the ticker and the
// detail screen. Kept across helper restarts: they are what happened this session.
import { useEffect, useState } from 'react';
import type { HelperClient } from '../../rpc/client.js';
import type { StateChangedParams } from '../../rpc/protocol.js';

export const EVENTS_KEPT = 50;

export function addEvent(events: readonly StateChangedParams[], event: StateChangedParams, kept = EVENTS_KEPT): StateChangedParams[] {
  return [event, ...events].slice(0, kept);
}

export function useEvents(client: HelperClient | undefined): StateChangedParams[] {
  const [events, setEvents] = useState<StateChangedParams[]>([]);
  useEffect(() => {
    if (!client) return;
    const listening = client.onStateChanged((event) => setEvents((list) => addEvent(list, event)));
    return () => listening.dispose();
  }, [client]);
  return events;
}
