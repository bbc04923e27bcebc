import { Box, Text } from 'ink';
import type { KeyHint } from '../keys.js';
import type { Theme } from '../theme.js';

export interface HelpOverlayProps {
  width: number;
  theme: Theme;
  entries: KeyHint[];
}

export function HelpOverlay({ width, theme, entries }: HelpOverlayProps) {
  const keyWidth = Math.max(...entries.map((e) => e.keys.length)) + 2;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={Math.min(width, 96)}>
      <Text bold>Keys</Text>
      {entries.map((e) => (
        <Text key={`${e.keys} ${e.text}`}>
          <Text color={theme.accent}>{e.keys.padEnd(keyWidth)}</Text>
          {e.text}
        </Text>
      ))}
    </Box>
  );
}
