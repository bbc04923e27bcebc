// The one way keys reach screens. Inside the app, a KeyRouter reads the keyboard once and hands
// each key to the screen on top of the stack (src/ui/screens.ts), read at the moment the key
// arrives: keys typed faster than a render (Esc then j) reach the screen the previous key opened.
// Screens register with useScreenKeys; one rendered on its own (a test, no router) reads the
// keyboard itself while `isActive`.
import { createContext, useContext, useEffect, useRef } from 'react';
import type { ScreenKind } from '../screens.js';
import { useKeys, type KeyHandler } from './useKeys.js';

export type KeyTarget = Extract<ScreenKind, 'dashboard' | 'snapshots' | 'wizard' | 'clone'>;

/** The handlers of the screens mounted now, by the kind of screen they serve. */
export type KeyRoutes = Map<KeyTarget, KeyHandler>;

export const KeyRouterContext = createContext<KeyRoutes | undefined>(undefined);

export function useScreenKeys(target: KeyTarget, handler: KeyHandler, options: { isActive?: boolean } = {}): void {
  const routes = useContext(KeyRouterContext);
  const latest = useRef(handler);
  latest.current = handler;
  const route = useRef<KeyHandler>((input, key) => latest.current(input, key));
  // Registered while rendering, so a key that arrives before the next commit finds the handler.
  if (routes && routes.get(target) !== route.current) routes.set(target, route.current);
  useEffect(() => {
    if (!routes) return;
    const own = route.current;
    routes.set(target, own);
    return () => {
      // A screen of the same kind mounted meanwhile keeps its registration.
      if (routes.get(target) === own) routes.delete(target);
    };
  }, [routes, target]);
  useKeys((input, key) => latest.current(input, key), { isActive: (options.isActive ?? true) && !routes });
}
