import { Text } from 'ink';
import { clampLines, wrapWords } from '../../format/text.js';
import type { StatusMessage } from '../hooks/useVms.js';
import type { Theme } from '../theme.js';

export const STATUS_MAX_LINES = 2;

/** The lines a message takes, so the layout can leave room for it. */
export function statusLines(message: StatusMessage | undefined, width: number): string[] {
  if (!message) return [];
  const text = message.tone === 'error' ? `✗ ${message.text}` : message.text;
  return clampLines(wrapWords(text, width), STATUS_MAX_LINES, width);
}

export interface StatusLineProps {
  width: number;
  theme: Theme;
  message?: StatusMessage;
}

/** The outcome of the last action, as a sentence; errors carry a ✗ so they read without colour. */
export function StatusLine({ width, theme, message }: StatusLineProps) {
  return (
    <>
      {statusLines(message, width).map((line, i) => (
        <Text key={i} color={message?.tone === 'error' ? theme.error : theme.muted}>
          {line}
        </Text>
      ))}
    </>
  );
}
