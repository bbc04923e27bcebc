import { Box, Text } from 'ink';
import { wrapWords } from '../../format/text.js';
import type { KeyHint } from '../keys.js';
import type { Theme } from '../theme.js';

export interface HelpOverlayProps {
  width: number;
  /** Rows it may take; a longer list shows a page of it at a time. */
  height?: number;
  /** The first line shown (clamped), moved by the help's scroll keys. */
  offset?: number;
  theme: Theme;
  entries: KeyHint[];
}

/** One line of the help: the keys on an entry's first line, its description wrapped under them. */
export interface HelpLine {
  keys: string;
  text: string;
}

const CHROME = 3; // border and title

export function helpLines(entries: KeyHint[], width: number): HelpLine[] {
  const inner = Math.max(10, Math.min(width, 96) - 4);
  const keyWidth = Math.max(0, ...entries.map((e) => e.keys.length)) + 2;
  const textWidth = Math.max(8, inner - keyWidth);
  return entries.flatMap((e) =>
    wrapWords(e.text, textWidth).map((text, i) => ({ keys: (i === 0 ? e.keys : '').padEnd(keyWidth), text })),
  );
}

/** Which lines show for a height and offset, and the offset clamped to the last full page. */
export function helpPage(lineCount: number, height: number | undefined, offset: number): { start: number; end: number; paged: boolean } {
  const room = height === undefined ? lineCount : Math.max(1, height - CHROME);
  if (lineCount <= room) return { start: 0, end: lineCount, paged: false };
  const shown = Math.max(1, room - 1); // a line says where the page is
  const start = Math.max(0, Math.min(offset, lineCount - shown));
  return { start, end: start + shown, paged: true };
}

export function HelpOverlay({ width, height, offset = 0, theme, entries }: HelpOverlayProps) {
  const boxWidth = Math.min(width, 96);
  const lines = helpLines(entries, width);
  const page = helpPage(lines.length, height, offset);
  const more =
    page.end < lines.length
      ? `↓ j PgDn Space: more (lines ${page.start + 1}–${page.end} of ${lines.length})`
      : `↑ k PgUp: back (lines ${page.start + 1}–${page.end} of ${lines.length})`;
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={boxWidth}>
      <Text bold>Keys</Text>
      {lines.slice(page.start, page.end).map((line, i) => (
        <Text key={i} wrap="truncate">
          <Text color={theme.accent}>{line.keys}</Text>
          {line.text}
        </Text>
      ))}
      {page.paged ? (
        <Text color={theme.muted} wrap="truncate">
          {more}
        </Text>
      ) : null}
    </Box>
  );
}
