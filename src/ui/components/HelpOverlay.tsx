import { Box, Text } from 'ink';
import { truncate } from '../../format/text.js';
import type { KeyHint } from '../keys.js';
import type { Theme } from '../theme.js';

export interface HelpOverlayProps {
  width: number;
  /** Rows it may take; a list taller than that goes into two columns. */
  height?: number;
  theme: Theme;
  entries: KeyHint[];
}

const CHROME = 3; // border and title

export function HelpOverlay({ width, height, theme, entries }: HelpOverlayProps) {
  const keyWidthOf = (list: KeyHint[]) => Math.max(0, ...list.map((e) => e.keys.length)) + 2;
  const split = height !== undefined && entries.length + CHROME > height;
  const boxWidth = split ? width : Math.min(width, 96);
  const inner = boxWidth - 4;
  const columnWidth = split ? Math.floor((inner - 2) / 2) : inner;
  const half = Math.ceil(entries.length / 2);
  const columns = split ? [entries.slice(0, half), entries.slice(half)] : [entries];
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={boxWidth}>
      <Text bold>Keys</Text>
      <Box columnGap={2}>
        {columns.map((list, c) => (
          <Box key={c} flexDirection="column" width={columnWidth}>
            {list.map((e, i) => (
              <Text key={i} wrap={split ? 'truncate' : 'wrap'}>
                <Text color={theme.accent}>{e.keys.padEnd(keyWidthOf(list))}</Text>
                {split ? truncate(e.text, Math.max(1, columnWidth - keyWidthOf(list))) : e.text}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
