// The screen view: a title line, the guest's screen in half-block cells (or an image drawn over
// blank cells), a note and the footer.
import { Box, Text } from 'ink';
import { useEffect } from 'react';
import { KITTY_CLEAR } from '../../screen/graphics.js';
import { setOverlay } from '../../screen/overlay.js';
import { truncate } from '../../format/text.js';
import type { KeyHint } from '../keys.js';
import type { Theme } from '../theme.js';
import { Footer } from './Footer.js';

export interface ScreenViewProps {
  width: number;
  height: number;
  theme: Theme;
  name: string;
  lines: string[];
  /** kitty / iTerm2 / sixel: written at the body's top-left after Ink has drawn the blank lines. */
  image?: string;
  source?: { width: number; height: number };
  note?: string;
  hints: KeyHint[];
}

/** Cell rows for the picture: the title, the note and the footer take one each. */
export function screenBodyRows(height: number): number {
  return Math.max(1, height - 3);
}

export function ScreenView({ width, height, theme, name, lines, image, source, note, hints }: ScreenViewProps) {
  const rows = screenBodyRows(height);
  useEffect(() => setOverlay(image, image?.startsWith(KITTY_CLEAR) ?? false), [image]);
  useEffect(() => () => setOverlay(undefined, false), []);
  const size = source ? ` · ${source.width}×${source.height}` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={theme.accent}>
        {truncate(`Screen · ${name}${size}`, width)}
      </Text>
      <Box flexDirection="column" height={rows}>
        {lines.slice(0, rows).map((line, i) => (
          <Text key={i}>{line}</Text>
        ))}
      </Box>
      <Text color={note ? theme.error : theme.muted}>{truncate(note ?? (lines.length === 0 ? 'Waiting for the first frame…' : 'Keys go to the guest.'), width)}</Text>
      <Footer width={width} theme={theme} hints={hints} />
    </Box>
  );
}
