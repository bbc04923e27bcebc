// The app's one reader of the keyboard. Each key goes to the screen on top of the stack, read at
// the moment it arrives (a key typed before the next render reaches the screen the previous key
// opened): parsed keys to the handler a screen registered with useScreenKeys, or to the app for
// its own screens (help, details, and the dashboard before it shows); raw bytes to the console or
// the guest's screen, up to their leave key.
import type { Key } from 'ink';
import { useMemo } from 'react';
import { Command, commandForKey, sequenceIndex } from '../keys.js';
import { keyContextOf, topScreen, type Screen } from '../screens.js';
import { useKeys } from './useKeys.js';
import { useRawInput } from './useRawInput.js';
import type { RefState } from './useRefState.js';
import type { KeyRoutes } from './useScreenKeys.js';

type LiveScreen = Extract<Screen, { kind: 'console' | 'screen' }>;

export interface KeyRouterOptions {
  stack: RefState<Screen[]>;
  /** False while the terminal's answer to the graphics question may still come in as input. */
  reading?: boolean;
  /** The dashboard has shown (the helper is ready or VMs are known): its handler takes its keys. */
  dashboardShown: boolean;
  /** Every key on the app's and the dashboard's screens, before it acts (a ✗ sentence may go). */
  onKey?(command: Command | undefined): void;
  /** A key the app takes before the dashboard's handler (n opens the wizard); true when taken. */
  takeDashboardKey?(command: Command | undefined): boolean;
  /** The app's own screens: help, details, and the dashboard before it shows. */
  onAppKey(command: Command | undefined, top: Screen): void;
  /** Typed bytes for the console or the guest's screen. */
  onLiveInput(data: string, top: LiveScreen): void;
  /** The leave key (Ctrl-]) on the console or the guest's screen. */
  onLeave(top: LiveScreen): void;
}

export function useKeyRouter(options: KeyRouterOptions): KeyRoutes {
  const routes = useMemo<KeyRoutes>(() => new Map(), []);
  const { stack, reading = true } = options;

  useKeys((input: string, key: Key) => {
    const now = topScreen(stack.current);
    if (now.kind === 'console' || now.kind === 'screen') return; // those read raw input
    if (now.kind === 'snapshots' || now.kind === 'wizard' || now.kind === 'clone') return routes.get(now.kind)?.(input, key);
    const context = keyContextOf(stack.current);
    options.onKey?.(commandForKey(input, key, context));
    const dashboardKeys = routes.get('dashboard');
    if (now.kind === 'dashboard' && options.dashboardShown && dashboardKeys) {
      if (context === 'dashboard' && options.takeDashboardKey?.(commandForKey(input, key, 'dashboard'))) return;
      return dashboardKeys(input, key);
    }
    options.onAppKey(commandForKey(input, key, now.kind === 'dashboard' ? 'dashboard' : now.kind), now);
  }, { isActive: reading });

  const top = topScreen(stack.current);
  useRawInput(reading && (top.kind === 'console' || top.kind === 'screen'), (data) => {
    const now = topScreen(stack.current);
    if (now.kind !== 'console' && now.kind !== 'screen') return;
    const at = sequenceIndex(now.kind === 'console' ? Command.Detach : Command.LeaveScreen, data);
    if (at === -1) return options.onLiveInput(data, now);
    options.onLiveInput(data.slice(0, at), now);
    options.onLeave(now);
  });
  return routes;
}
