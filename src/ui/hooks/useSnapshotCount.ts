// How many snapshots a VM has, for the detail screen: asked once per VM shown and again when
// vm/changed says its snapshots or configuration changed (by anyone); answered later.
import { useEffect, useRef, useState } from 'react';
import { useAnswerScope } from './useAnswerScope.js';
import type { HelperApi } from '../../rpc/api.js';
import { errorSentence } from '../../rpc/errors.js';
import { vmChangedNotification } from '../../rpc/protocol.js';

export type SnapshotCount =
  | { status: 'loading' }
  | { status: 'ready'; count: number; current: string | null }
  | { status: 'failed'; error: string };

export function useSnapshotCount(client: HelperApi | undefined, name: string | undefined): SnapshotCount {
  const [result, setResult] = useState<SnapshotCount>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const askedFor = useRef<string | undefined>(undefined);
  const scope = useAnswerScope([client, name, version]);
  useEffect(() => {
    if (!client || name === undefined) return;
    const listening = client.on(vmChangedNotification, (change) => {
      if (change.name === name && change.change === 'updated') setVersion((v) => v + 1);
    });
    return () => listening.dispose();
  }, [client, name]);
  useEffect(() => {
    // A new answer for the same VM replaces the last one without showing "loading" in between.
    if (askedFor.current !== name || !client) setResult({ status: 'loading' });
    askedFor.current = client ? name : undefined;
    if (!client || name === undefined) return;
    const signal = scope();
    client.listSnapshots(name).then(
      (list) => {
        if (!signal.aborted) setResult({ status: 'ready', count: list.snapshots.length, current: list.current });
      },
      (error: unknown) => {
        if (!signal.aborted) setResult({ status: 'failed', error: errorSentence(error) });
      },
    );
  }, [client, name, version, scope]);
  return result;
}
