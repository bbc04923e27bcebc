// Colors in one place, so NO_COLOR (https://no-color.org) turns every one of them off. Nothing may
// rely on colour alone: states carry symbols, errors carry words.
import type { StateTone } from '../format/vm.js';

export interface Theme {
  accent: string | undefined;
  error: string | undefined;
  warning: string | undefined;
  muted: string | undefined;
  success: string | undefined;
}

export const colorTheme: Theme = { accent: 'cyan', error: 'red', warning: 'yellow', muted: 'gray', success: 'green' };
export const plainTheme: Theme = { accent: undefined, error: undefined, warning: undefined, muted: undefined, success: undefined };

export function themeFor(env: NodeJS.ProcessEnv): Theme {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return noColor ? plainTheme : colorTheme;
}

export function toneColor(theme: Theme, tone: StateTone): string | undefined {
  switch (tone) {
    case 'good':
      return theme.success;
    case 'busy':
      return theme.accent;
    case 'idle':
      return theme.muted;
    case 'bad':
      return theme.error;
    case 'held':
      return theme.warning;
  }
}
