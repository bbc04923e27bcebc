// The two questions the dashboard asks before it changes a VM for good, as DialogBox lines.
import { wrapWords } from '../../format/text.js';
import { DEFAULT_STOP_TIMEOUT_MS } from '../../rpc/protocol.js';
import { Command } from '../keys.js';
import { labels, questionLines, wrapped, type DialogLine } from './DialogBox.js';

export function stopQuestionLines(name: string, width: number): DialogLine[] {
  return questionLines(
    [`Stop VM '${name}'? vmtui presses its power button and forces it off if it is still running after ${DEFAULT_STOP_TIMEOUT_MS / 1000} seconds.`],
    'stop',
    width,
  );
}

/** The name typed to confirm a delete; a wrong name says so under it. */
export function deletePromptLines(name: string, typed: string, mismatch: boolean, width: number): DialogLine[] {
  return [
    ...wrapped([`Delete VM '${name}' and its disk? This cannot be undone.`], width, 'bold'),
    ...wrapped([`Type the VM's name and press ${labels(Command.Submit)} (${labels(Command.CancelPrompt)} cancels):`], width, 'bold'),
    { text: `> ${typed}█` },
    ...(mismatch ? wrapWords(`That is not '${name}'; type the name exactly, or press Esc.`, width).map((text) => ({ text, style: 'error' as const })) : []),
  ];
}
