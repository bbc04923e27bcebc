// State that handlers can read back at once. Keys can arrive faster than React renders ("jjs", a
// paste, Esc then j): each key must see what the key before it left, which a state value read in a
// closure does not show until the next render. The ref is written first, then the render asked for.
import { useCallback, useRef, useState } from 'react';

export type Update<T> = T | ((previous: T) => T);

export interface RefState<T> {
  /** The value as of the last update, even before a render has shown it. */
  readonly current: T;
}

export function useRefState<T>(initial: T | (() => T)): [T, (next: Update<T>) => void, RefState<T>] {
  const [value, setValue] = useState(initial);
  const ref = useRef(value);
  const set = useCallback((next: Update<T>) => {
    ref.current = typeof next === 'function' ? (next as (previous: T) => T)(ref.current) : next;
    setValue(ref.current);
  }, []);
  return [value, set, ref];
}
