import { Box, Text } from 'ink';
import type { KeyHint } from '../keys.js';
import { truncate } from '../format.js';
import type { Theme } from '../theme.js';

export interface FooterProps {
  width: number;
  theme: Theme;
  hints: KeyHint[];
  status?: string;
}

export function footerText(hints: KeyHint[]): string {
  return hints.map((h) => `${h.keys} ${h.text}`).join('  ');
}

export function Footer({ width, theme, hints, status }: FooterProps) {
  const keys = footerText(hints);
  const room = Math.max(0, width - keys.length - 2);
  return (
    <Box width={width} justifyContent="space-between">
      <Text color={theme.accent}>{keys}</Text>
      {status ? <Text color={theme.muted}>{truncate(status, room)}</Text> : null}
    </Box>
  );
}
