// How many snapshots a VM has, for the detail screen: asked once per VM shown, answered later.
import { useEffect, useState } from 'react';
import type { HelperApi } from '../../rpc/api.js';
import { errorSentence } from '../../rpc/errors.js';

export type SnapshotCount =
  | { status: 'loading' }
  | { status: 'ready'; count: number; current: string | null }
  | { status: 'failed'; error: string };

export function useSnapshotCount(client: HelperApi | undefined, name: string | undefined): SnapshotCount {
  const [result, setResult] = useState<SnapshotCount>({ status: 'loading' });
  useEffect(() => {
    setResult({ status: 'loading' });
    if (!client || name === undefined) return;
    let active = true;
    client.listSnapshots(name).then(
      (list) => {
        if (active) setResult({ status: 'ready', count: list.snapshots.length, current: list.current });
      },
      (error: unknown) => {
        if (active) setResult({ status: 'failed', error: errorSentence(error) });
      },
    );
    return () => {
      active = false;
    };
  }, [client, name]);
  return result;
}
