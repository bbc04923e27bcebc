import { Box, Text } from 'ink';
import type { KeyHint } from '../keys.js';
import { truncate } from '../../format/text.js';
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

/**
 * Drops hints before the last two (help and quit stay) until the rest fit the width; when some
 * went, the help's hint says that it lists more keys.
 */
export function fitHints(hints: KeyHint[], width: number): KeyHint[] {
  if (footerText(hints).length <= width) return hints;
  const kept = hints.map((h) => (h.keys === '?' ? { ...h, text: 'more keys' } : h));
  while (footerText(kept).length > width && kept.length > 2) kept.splice(kept.length - 3, 1);
  return kept;
}

/** Room kept for the status, so "Restarting the helper…" is not cut to a letter. */
const STATUS_ROOM = 32;

export function Footer({ width, theme, hints, status }: FooterProps) {
  const reserve = status ? Math.min(status.length, STATUS_ROOM) + 2 : 0;
  const keys = truncate(footerText(fitHints(hints, Math.max(0, width - reserve))), width);
  const room = Math.max(0, width - keys.length - 2);
  return (
    <Box width={width} justifyContent="space-between">
      <Text color={theme.accent}>{keys}</Text>
      {status && room > 0 ? <Text color={theme.muted}>{truncate(status, room)}</Text> : null}
    </Box>
  );
}
