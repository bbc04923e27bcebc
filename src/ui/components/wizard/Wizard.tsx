// The install wizard screen: reads its keys, draws the current step, and reports which keys apply
// so the footer can show them. The work itself is done by useWizard.
import { Box, Text } from 'ink';
import { useEffect } from 'react';
import type { HelperApi } from '../../../rpc/api.js';
import { wrapWords } from '../../../format/text.js';
import { useScreenKeys } from '../../hooks/useScreenKeys.js';
import { useWizard, type WizardOptions } from '../../hooks/useWizard.js';
import { Command, commandForKey, type KeyContext } from '../../keys.js';
import type { Theme } from '../../theme.js';
import { typedText } from '../../textInput.js';
import { downloadTitle } from '../../wizardModel.js';
import { formSteps, detachAdvice, osAvailability, type WizardKey, type WizardState } from '../../wizardState.js';
import { FormStep, stepTitles } from './WizardSteps.js';
import { DialogBox, dialogInnerWidth } from '../DialogBox.js';
import { ProgressView, cancelQuestionLines, startQuestionLines } from './ProgressView.js';

export interface WizardProps extends WizardOptions {
  client: HelperApi;
  width: number;
  theme: Theme;
  /** Rendered on its own (no key router): false while another screen has the keyboard. */
  isActive?: boolean;
  onContextChange?(context: KeyContext): void;
}

const wizardKeys: Partial<Record<Command, WizardKey>> = {
  [Command.WizardNext]: 'next',
  [Command.WizardBack]: 'back',
  [Command.WizardTab]: 'tab',
  [Command.WizardLeave]: 'leave',
  [Command.Confirm]: 'yes',
  [Command.Cancel]: 'no',
};

export function wizardContext(state: WizardState): KeyContext {
  return state.step === 'confirmCancel' || state.step === 'startNow' ? 'confirm' : 'wizard';
}

function title(state: WizardState): string {
  const steps = formSteps(state);
  const at = steps.indexOf(state.step);
  if (at !== -1) return `New VM · ${at + 1} of ${steps.length} · ${stepTitles[state.step]}`;
  return state.created ? `New VM '${state.created}'` : 'New VM';
}

export function Wizard(props: WizardProps) {
  const { width, theme, isActive = true, onContextChange } = props;
  const { state, send, host } = useWizard(props.client, props);
  const context = wizardContext(state);
  useEffect(() => onContextChange?.(context), [context, onContextChange]);

  useScreenKeys(
    'wizard',
    (input, key) => {
      const command = commandForKey(input, key, context);
      if (command === Command.WizardMove) return send({ type: 'key', key: key.upArrow ? 'up' : 'down' });
      const mapped = command === undefined ? undefined : wizardKeys[command];
      if (mapped) return send({ type: 'key', key: mapped });
      if (context !== 'wizard') return;
      if (key.backspace || key.delete) return send({ type: 'key', key: 'backspace' });
      const text = typedText(input, key);
      if (text !== undefined) send({ type: 'text', text });
    },
    { isActive },
  );

  const inner = Math.max(20, width - 4);
  const env = { init: props.init, host, probe: props.probe, taken: props.taken };
  const availability = { linux: osAvailability('linux', env), macos: osAvailability('macos', env) };
  const name = state.created ?? state.choices?.name ?? state.name;
  const what = state.choices ? downloadTitle(state.choices.source) : 'the restore image';
  // Only an ISO VM has an installer to follow and an ISO to detach afterwards.
  const image = state.choices !== undefined && state.choices.source.kind !== 'iso';
  return (
    <Box flexDirection="column" width={width} borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold color={theme.accent}>
        {title(state)}
      </Text>
      {state.step === 'busy' && state.job ? <ProgressView width={inner} theme={theme} job={state.job} name={name} what={what} /> : null}
      {state.step === 'confirmCancel' && state.job ? (
        <DialogBox width={inner} theme={theme} lines={cancelQuestionLines(state.job, name, dialogInnerWidth(inner))} />
      ) : null}
      {state.step === 'startNow' ? (
        <>
          <DialogBox width={inner} theme={theme} lines={startQuestionLines(name, dialogInnerWidth(inner), image)} />
          {(image ? [] : wrapWords(detachAdvice(name), inner)).map((line, i) => (
            <Text key={i} color={theme.muted}>
              {line}
            </Text>
          ))}
        </>
      ) : null}
      {state.step === 'done' ? (
        <>
          {wrapWords(state.doneIsError ? `✗ ${state.doneText ?? ''}` : (state.doneText ?? ''), inner).map((line, i) => (
            <Text key={i} color={state.doneIsError ? theme.error : undefined}>
              {line}
            </Text>
          ))}
          <Text color={theme.muted}>Enter: back to the dashboard.</Text>
        </>
      ) : null}
      <FormStep width={inner} theme={theme} state={state} host={host} availability={availability} />
      {state.note ? wrapWords(state.note, inner).map((line, i) => <Text key={`n${i}`} color={theme.muted}>{line}</Text>) : null}
      {state.error ? wrapWords(`✗ ${state.error}`, inner).map((line, i) => <Text key={`e${i}`} color={theme.error}>{line}</Text>) : null}
    </Box>
  );
}
