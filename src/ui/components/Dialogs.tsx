// The two questions the dashboard asks before it changes a VM for good.
import { Box, Text } from 'ink';
import { wrapWords } from '../../format/text.js';
import { Command, keyMap } from '../keys.js';
import type { Theme } from '../theme.js';

export const STOP_TIMEOUT_SECONDS = 30;

function labels(command: Command): string {
  return keyMap[command].bindings.map((b) => b.label).join('/');
}

export interface ConfirmStopProps {
  width: number;
  theme: Theme;
  name: string;
}

export function confirmStopLines(name: string, width: number): string[] {
  return [
    ...wrapWords(`Stop VM '${name}'? vmtui presses its power button and forces it off if it is still running after ${STOP_TIMEOUT_SECONDS} seconds.`, width),
    `${labels(Command.Confirm)} stop · ${labels(Command.Cancel)} cancel`,
  ];
}

export function ConfirmStop({ width, theme, name }: ConfirmStopProps) {
  const inner = Math.max(10, width - 4);
  const lines = confirmStopLines(name, inner);
  return (
    <Box flexDirection="column" width={width} borderStyle="single" borderColor={theme.warning} paddingX={1}>
      {lines.map((line, i) => (
        <Text key={i} bold={i < lines.length - 1}>
          {line}
        </Text>
      ))}
    </Box>
  );
}

export interface DeletePromptProps {
  width: number;
  theme: Theme;
  name: string;
  typed: string;
  mismatch: boolean;
}

export function deletePromptLines(name: string, typed: string, mismatch: boolean, width: number): string[] {
  return [
    ...wrapWords(`Delete VM '${name}' and its disk? This cannot be undone.`, width),
    ...wrapWords(`Type the VM's name and press ${labels(Command.Submit)} (${labels(Command.CancelPrompt)} cancels):`, width),
    `> ${typed}█`,
    ...(mismatch ? wrapWords(`That is not '${name}'; type the name exactly, or press Esc.`, width) : []),
  ];
}

export function DeletePrompt({ width, theme, name, typed, mismatch }: DeletePromptProps) {
  const inner = Math.max(10, width - 4);
  const lines = deletePromptLines(name, typed, mismatch, inner);
  const promptAt = lines.findIndex((l) => l.startsWith('> '));
  return (
    <Box flexDirection="column" width={width} borderStyle="single" borderColor={theme.error} paddingX={1}>
      {lines.map((line, i) => (
        <Text key={i} bold={i < promptAt} color={i > promptAt ? theme.error : undefined}>
          {line}
        </Text>
      ))}
    </Box>
  );
}
