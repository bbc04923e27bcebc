// The one dialog widget: a bordered box of wrapped lines, for every question (stop, delete,
// restore, the wizard's) and text prompt (names, notes). Builders return the lines, so a layout
// can count them before rendering.
import { Box, Text } from 'ink';
import { wrapWords } from '../../format/text.js';
import { Command, keyMap } from '../keys.js';
import type { Theme } from '../theme.js';

export interface DialogLine {
  text: string;
  style?: 'bold' | 'error' | 'muted';
}

export type DialogTone = 'question' | 'danger';

export function labels(command: Command): string {
  return keyMap[command].bindings.map((b) => b.label).join('/');
}

export function wrapped(texts: string[], width: number, style?: DialogLine['style']): DialogLine[] {
  return texts.flatMap((t) => wrapWords(t, width).map((text) => (style ? { text, style } : { text })));
}

/** A yes/no question: the sentences (the first in bold), then the keys that answer it. */
export function questionLines(question: string[], yesWord: string, width: number, noWord = 'cancel'): DialogLine[] {
  return [
    ...wrapped(question.slice(0, 1), width, 'bold'),
    ...wrapped(question.slice(1), width),
    { text: `${labels(Command.Confirm)} ${yesWord} · ${labels(Command.Cancel)} ${noWord}`, style: 'muted' },
  ];
}

export interface TextPromptSpec {
  /** What is asked, first line bold. */
  ask: string[];
  typed: string;
  /** Why the typed text cannot be used, or what went wrong with it: shown under it. */
  problem?: string;
  /** Work in flight: replaces the cursor line's key hint. */
  pending?: string;
}

/** The end of a long typed text, where the cursor is, so the line never wraps. */
function tail(text: string, room: number): string {
  return text.length <= room ? text : `…${text.slice(text.length - Math.max(0, room - 1))}`;
}

/** A line of typed text with a cursor, its problem, and the keys. */
export function textPromptLines(spec: TextPromptSpec, width: number): DialogLine[] {
  return [
    ...wrapped(spec.ask.slice(0, 1), width, 'bold'),
    ...wrapped(spec.ask.slice(1), width),
    { text: `> ${tail(spec.typed, width - 3)}${spec.pending ? '' : '█'}` },
    // A cross mark first, so an error reads as one without colour.
    ...(spec.problem ? wrapped([`✗ ${spec.problem}`], width, 'error') : []),
    spec.pending
      ? { text: spec.pending, style: 'muted' }
      : { text: `${labels(Command.InputSubmit)} ok · ${labels(Command.InputCancel)} cancel`, style: 'muted' },
  ];
}

/** Rows a box of these lines takes, border included. */
export function dialogHeight(lines: DialogLine[]): number {
  return lines.length + 2;
}

export interface DialogBoxProps {
  width: number;
  theme: Theme;
  lines: DialogLine[];
  tone?: DialogTone;
}

export function DialogBox({ width, theme, lines, tone = 'question' }: DialogBoxProps) {
  const color = (style: DialogLine['style']) => (style === 'error' ? theme.error : style === 'muted' ? theme.muted : undefined);
  return (
    <Box flexDirection="column" width={width} borderStyle="single" borderColor={tone === 'danger' ? theme.error : theme.warning} paddingX={1}>
      {lines.map((line, i) => (
        <Text key={i} bold={line.style === 'bold'} color={color(line.style)}>
          {line.text}
        </Text>
      ))}
    </Box>
  );
}

/** The inner width of a box `width` columns wide (border and padding). */
export function dialogInnerWidth(width: number): number {
  return Math.max(10, width - 4);
}
