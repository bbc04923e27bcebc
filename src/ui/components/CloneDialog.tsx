// Asks for the name of a clone of the selected VM. A pure widget: the typed name, its problem and
// the pending call come in as props (from useClone), keys go out as callbacks.
import type { CloneQuestion } from '../hooks/useClone.js';
import { useKeys } from '../hooks/useKeys.js';
import { Command, commandForKey } from '../keys.js';
import type { Theme } from '../theme.js';
import { editText } from '../textInput.js';
import { DialogBox, dialogHeight, dialogInnerWidth, textPromptLines, type DialogLine } from './DialogBox.js';

/** `pending`: the clone is in flight; `progress` its copy line, once data is being copied. */
export function cloneDialogLines(q: CloneQuestion, pending: boolean, width: number, progress?: string): DialogLine[] {
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
      ...(pending
        ? { pending: progress ? `${progress} (Esc stops it)` : `Cloning '${q.source}' to '${q.typed}'… (Esc hides this; the work goes on)` }
        : {}),
    },
    width,
  );
}

/** Rows the dialog takes, for the layout around it. */
export function cloneDialogHeight(q: CloneQuestion, pending: boolean, width: number, progress?: string): number {
  return dialogHeight(cloneDialogLines(q, pending, dialogInnerWidth(width), progress));
}

export interface CloneDialogProps {
  width: number;
  theme: Theme;
  question: CloneQuestion;
  pending: boolean;
  /** The copy's progress line while data is copied. */
  progress?: string;
  isActive?: boolean;
  /** Changes the typed name; a function, since keys can come faster than renders. */
  onEdit(change: (typed: string) => string): void;
  onSubmit(): void;
  /** Esc while the clone copies data: stop it. */
  onStop(): void;
  onCancel(): void;
}

export function CloneDialog({ width, theme, question, pending, progress, isActive = true, onEdit, onSubmit, onStop, onCancel }: CloneDialogProps) {
  useKeys(
    (input, key) => {
      const command = commandForKey(input, key, 'input');
      // Esc stops a clone that is copying data (it shows its progress); otherwise it hides the dialog.
      if (command === Command.InputCancel) return pending && progress !== undefined ? onStop() : onCancel();
      if (pending) return;
      if (command === Command.InputSubmit) return onSubmit();
      // Only edits go out: editText answers undefined for anything else.
      if (editText('', input, key) !== undefined) onEdit((typed) => editText(typed, input, key) ?? typed);
    },
    { isActive },
  );
  return <DialogBox width={width} theme={theme} lines={cloneDialogLines(question, pending, dialogInnerWidth(width), progress)} />;
}
