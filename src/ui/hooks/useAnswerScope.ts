// The one way screens drop answers that come too late: each scope (a hook mounted, a VM shown) has
// an AbortSignal that aborts when the scope ends (unmount, or a dependency changes). Work takes the
// signal when it starts and checks `aborted` after each await; a request that may be cancelled
// outright (a frame grab) passes it on to the client.
import { useCallback, useEffect, useRef, type DependencyList } from 'react';

export function useAnswerScope(deps: DependencyList): () => AbortSignal {
  const controller = useRef(new AbortController());
  useEffect(() => {
    const scope = new AbortController();
    controller.current = scope;
    return () => scope.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's dependencies define the scope
  }, deps);
  return useCallback(() => controller.current.signal, []);
}
