// Which screen shows, as a stack: the dashboard at the bottom, then what was opened over it
// (details, snapshots, the wizard, the clone dialog, help, a console or a guest's screen). Keys go
// to the top; the footer shows the top's keys; closing a screen shows the one under it again.
import type { KeyContext } from './keys.js';

export type Screen =
  /** `context`: the dashboard's own mode (its stop question, delete prompt or filter). */
  | { kind: 'dashboard'; context: KeyContext }
  | { kind: 'detail'; name: string }
  | { kind: 'snapshots'; name: string; context: KeyContext }
  | { kind: 'wizard'; context: KeyContext }
  | { kind: 'clone' }
  | { kind: 'help'; offset: number }
  | { kind: 'console'; name: string }
  | { kind: 'screen'; name: string };

export type ScreenKind = Screen['kind'];

export type ScreenAction =
  | { type: 'push'; screen: Screen }
  /** Closes the top screen; the dashboard is never closed. */
  | { type: 'pop' }
  /** The top screen gives way to another (the wizard hands over to the new VM's console). */
  | { type: 'replace'; screen: Screen }
  /** Closes every screen of this kind, wherever it is (a VM's details once the VM is gone). */
  | { type: 'close'; kind: ScreenKind }
  /** A screen reports which of its keys apply now. */
  | { type: 'context'; kind: 'dashboard' | 'snapshots' | 'wizard'; context: KeyContext }
  /** Scrolls the help by `by` lines, within 0…`max`. */
  | { type: 'scrollHelp'; by: number; max: number };

export const initialScreens: Screen[] = [{ kind: 'dashboard', context: 'dashboard' }];

export function topScreen(stack: readonly Screen[]): Screen {
  return stack[stack.length - 1] ?? initialScreens[0]!;
}

/** The topmost screen of a kind, if it is open. */
export function findScreen<K extends ScreenKind>(stack: readonly Screen[], kind: K): Extract<Screen, { kind: K }> | undefined {
  for (let i = stack.length - 1; i >= 0; i--) {
    const screen = stack[i];
    if (screen?.kind === kind) return screen as Extract<Screen, { kind: K }>;
  }
  return undefined;
}

export function screensReducer(stack: Screen[], action: ScreenAction): Screen[] {
  switch (action.type) {
    case 'push':
      return [...stack, action.screen];
    case 'pop':
      return stack.length > 1 ? stack.slice(0, -1) : stack;
    case 'replace':
      return stack.length > 1 ? [...stack.slice(0, -1), action.screen] : [...stack, action.screen];
    case 'close': {
      const kept = stack.filter((s) => s.kind !== action.kind || s.kind === 'dashboard');
      return kept.length === stack.length ? stack : kept;
    }
    case 'context': {
      let changed = false;
      const next = stack.map((s) => {
        if (s.kind !== action.kind || !('context' in s) || s.context === action.context) return s;
        changed = true;
        return { ...s, context: action.context };
      });
      return changed ? next : stack;
    }
    case 'scrollHelp': {
      const top = topScreen(stack);
      if (top.kind !== 'help') return stack;
      const offset = Math.max(0, Math.min(top.offset + action.by, Math.max(0, action.max)));
      return offset === top.offset ? stack : [...stack.slice(0, -1), { kind: 'help', offset }];
    }
  }
}

/** The keys that apply now: the footer shows them, and the key that arrives is read in them. */
export function keyContextOf(stack: readonly Screen[]): KeyContext {
  const top = topScreen(stack);
  switch (top.kind) {
    case 'dashboard':
    case 'snapshots':
    case 'wizard':
      return top.context;
    case 'clone':
      return 'input';
    case 'detail':
    case 'help':
    case 'console':
    case 'screen':
      return top.kind;
  }
}

/** The help lists the keys of the screen it was opened over. */
export function helpScreenOf(stack: readonly Screen[]): 'dashboard' | 'snapshots' {
  return findScreen(stack, 'snapshots') ? 'snapshots' : 'dashboard';
}
