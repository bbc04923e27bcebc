// The console screen: a title line, the guest's output filling the terminal, and a footer.
import { Box, Text } from 'ink';
import type { VMState } from '../../rpc/protocol.js';
import { truncate } from '../../format/text.js';
import type { KeyHint } from '../keys.js';
import { toneColor, type Theme } from '../theme.js';
import { stateLabel, stateTone } from '../../format/vm.js';
import { Footer } from './Footer.js';

export interface ConsoleViewProps {
  width: number;
  height: number;
  theme: Theme;
  name: string;
  state?: VMState;
  /** The screen lines to show, already cut to the body's size (see consoleBodyRows). */
  lines: string[];
  /** "Attaching…", or why the console ended. */
  note?: string;
  noteIsError?: boolean;
  hints: KeyHint[];
}

/** Rows left for guest output: the title, the note and the footer take one each. */
export function consoleBodyRows(height: number, hasNote: boolean): number {
  return Math.max(1, height - 2 - (hasNote ? 1 : 0));
}

export function ConsoleView({ width, height, theme, name, state, lines, note, noteIsError, hints }: ConsoleViewProps) {
  const rows = consoleBodyRows(height, note !== undefined);
  const title = `Console · ${name}`;
  const shown = lines.slice(-rows);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box justifyContent="space-between" width={width}>
        <Text bold color={theme.accent}>
          {truncate(title, width - 16)}
        </Text>
        {state ? <Text color={toneColor(theme, stateTone(state))}>{stateLabel(state)}</Text> : null}
      </Box>
      <Box flexDirection="column" height={rows}>
        {shown.map((line, i) => (
          <Text key={i} wrap="truncate">
            {line === '' ? ' ' : line}
          </Text>
        ))}
      </Box>
      {note !== undefined ? <Text color={noteIsError ? theme.error : theme.muted}>{truncate(note, width)}</Text> : null}
      <Footer width={width} theme={theme} hints={hints} />
    </Box>
  );
}
