import { Box, Text } from 'ink';
import type { KeyHint } from '../keys.js';
import type { Theme } from '../theme.js';

export interface HelpOverlayProps {
  width: number;
  theme: Theme;
  entries: KeyHint[];
  /** Rows it may take; entries that do not fit are counted on a last line instead of spilling over. */
  height?: number;
}

/** The entries that fit in `height` rows (border and title take 3), and how many are left out. */
export function fitHelp(entries: KeyHint[], height: number | undefined): { shown: KeyHint[]; hidden: number } {
  if (height === undefined || entries.length + 3 <= height) return { shown: entries, hidden: 0 };
  const shown = entries.slice(0, Math.max(0, height - 4));
  return { shown, hidden: entries.length - shown.length };
}

export function HelpOverlay({ width, theme, entries: all, height }: HelpOverlayProps) {
  const { shown: entries, hidden } = fitHelp(all, height);
  const keyWidth = Math.max(...all.map((e) => e.keys.length)) + 2;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={Math.min(width, 96)}>
      <Text bold>Keys</Text>
      {entries.map((e) => (
        <Text key={`${e.keys} ${e.text}`}>
          <Text color={theme.accent}>{e.keys.padEnd(keyWidth)}</Text>
          {e.text}
        </Text>
      ))}
      {hidden > 0 ? <Text color={theme.muted}>{`…and ${hidden} more; a taller terminal shows them all.`}</Text> : null}
    </Box>
  );
}
