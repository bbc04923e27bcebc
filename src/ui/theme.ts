// Colors in one place, so NO_COLOR (https://no-color.org) turns every one of them off.
export interface Theme {
  accent: string | undefined;
  error: string | undefined;
  warning: string | undefined;
  muted: string | undefined;
}

export const colorTheme: Theme = { accent: 'cyan', error: 'red', warning: 'yellow', muted: 'gray' };
export const plainTheme: Theme = { accent: undefined, error: undefined, warning: undefined, muted: undefined };

export function themeFor(env: NodeJS.ProcessEnv): Theme {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return noColor ? plainTheme : colorTheme;
}
