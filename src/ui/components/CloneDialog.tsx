// Asks for the name of a clone of the selected VM. A pure widget: the typed name, its problem and
// the pending call come in as props (from useClone), keys go out as callbacks.
import type { CloneQuestion } from '../hooks/useClone.js';
import { useScreenKeys } from '../hooks/useScreenKeys.js';
import { Command, commandForKey } from '../keys.js';
import type { Theme } from '../theme.js';
import { editText } from '../textInput.js';
import { DialogBox, dialogHeight, dialogInnerWidth, textPromptLines, type DialogLine } from './DialogBox.js';

export function cloneDialogLines(q: CloneQuestion, pending: boolean, width: number): DialogLine[] {
  const paused = q.sourceRunning ? ' It is running, so it is paused for the copy and resumed after it.' : '';
  return textPromptLines(
    {
      ask: [
        `Clone VM '${q.source}'.`,
        `The clone gets its own MAC address and identity; its files are copy-on-write copies where the file system allows.${paused}`,
        'Name of the new VM:',
      ],
      typed: q.typed,
      ...(q.problem ? { problem: q.problem } : {}),
      ...(pending ? { pending: `Cloning '${q.source}' to '${q.typed}'… (Esc hides this; the work goes on)` } : {}),
    },
    width,
  );
}

/** Rows the dialog takes, for the layout around it. */
export function cloneDialogHeight(q: CloneQuestion, pending: boolean, width: number): number {
  return dialogHeight(cloneDialogLines(q, pending, dialogInnerWidth(width)));
}

export interface CloneDialogProps {
  width: number;
  theme: Theme;
  question: CloneQuestion;
  pending: boolean;
  isActive?: boolean;
  /** Changes the typed name; a function, since keys can come faster than renders. */
  onEdit(change: (typed: string) => string): void;
  onSubmit(): void;
  onCancel(): void;
}

export function CloneDialog({ width, theme, question, pending, isActive = true, onEdit, onSubmit, onCancel }: CloneDialogProps) {
  useScreenKeys(
    'clone',
    (input, key) => {
      const command = commandForKey(input, key, 'input');
      if (command === Command.InputCancel) return onCancel();
      if (pending) return;
      if (command === Command.InputSubmit) return onSubmit();
      // Only edits go out: editText answers undefined for anything else.
      if (editText('', input, key) !== undefined) onEdit((typed) => editText(typed, input, key) ?? typed);
    },
    { isActive },
  );
  return <DialogBox width={width} theme={theme} lines={cloneDialogLines(question, pending, dialogInnerWidth(width))} />;
}
