// The install wizard as a state machine: keys and helper answers in, the next state and the work
// to start out. Pure apart from the file system probe it is handed (stat and readdir). The form's
// keys are in wizardForm.ts; the types and choices in wizardTypes.ts.
import { formatBytes } from '../format/vm.js';
import { createParams, isUrlText } from './wizardModel.js';
import { edit, onKey } from './wizardForm.js';
import { goto, stay, type Transition, type WizardAction, type WizardEnv, type WizardState } from './wizardTypes.js';

export * from './wizardTypes.js';
export { sourceOf } from './wizardForm.js';

function finish(state: WizardState, text: string, isError = false): WizardState {
  return goto(state, 'done', { job: undefined, doneText: text, doneIsError: isError });
}

export function reduceWizard(state: WizardState, action: WizardAction, env: WizardEnv): Transition {
  switch (action.type) {
    case 'key':
      return onKey(state, action.key, env);
    case 'text': {
      const printable = action.text.replace(/[\u0000-\u001F\u007F]/g, '');
      return printable === '' ? stay(state) : stay(edit(state, (t) => t + printable));
    }
    case 'images':
      return stay({ ...state, images: action.images, imagesError: undefined });
    case 'imagesFailed':
      return stay({ ...state, imagesError: action.error });
    case 'latest':
      return stay({ ...state, latest: action.latest, latestError: undefined });
    case 'latestFailed':
      return stay({ ...state, latestError: action.error });
    case 'downloadProgress':
      return state.job?.kind === 'downloading' ? stay({ ...state, job: { ...state.job, download: action.progress } }) : stay(state);
    case 'imageProgress':
      return state.job?.kind === 'importing' ? stay({ ...state, job: { ...state.job, image: action.progress } }) : stay(state);
    case 'downloaded': {
      if (!state.choices) return stay(state);
      // A stop question still open is moot now: the download is done.
      return stay({ ...state, step: 'busy', job: { kind: 'creating' } }, [{ kind: 'create', params: createParams(state.choices, action.path) }]);
    }
    case 'created': {
      const next = { ...state, created: action.name };
      if (state.choices?.os === 'linux') return stay(goto(next, 'startNow', { job: undefined }), [{ kind: 'refresh' }]);
      return stay({ ...next, step: 'busy', job: { kind: 'installing' } }, [{ kind: 'refresh' }, { kind: 'install', name: action.name }]);
    }
    case 'started':
      return stay(state, [{ kind: 'openConsole', name: state.created ?? '' }]);
    case 'installProgress':
      return state.job?.kind === 'installing'
        ? stay({ ...state, job: { ...state.job, install: { fraction: action.fraction, phase: action.phase } } })
        : stay(state);
    case 'installed':
      return stay(finish(state, `macOS is installed in VM '${state.created}'; start it with s.`), [{ kind: 'refresh' }]);
    case 'cancelled': {
      if (state.job?.kind === 'importing') {
        const url = state.choices?.source.kind === 'image' && isUrlText(state.choices.source.image);
        const kept = url ? ' What was downloaded is kept in the cache, and creating it again resumes from it.' : '';
        return stay(goto(state, 'summary', { job: undefined, note: `Stopped creating VM '${state.choices?.name ?? ''}'; no VM was made.${kept}` }));
      }
      if (state.job?.kind === 'installing') {
        return stay(finish(state, `Stopped installing macOS into VM '${state.created}'; the VM is kept but not installed. Delete it with d and create it again.`, true), [{ kind: 'refresh' }]);
      }
      const got = state.job?.download?.receivedBytes;
      const kept = got ? `the ${formatBytes(got)} downloaded so far is kept` : 'what was downloaded is kept';
      const note = `Download stopped; ${kept}, and the next download of this image resumes from it.`;
      return stay(goto(state, 'summary', { job: undefined, note }), [{ kind: 'loadImages' }]);
    }
    case 'failed': {
      const kind = state.job?.kind;
      if (kind === 'starting') return stay(finish(state, `Created VM '${state.created}', but it did not start: ${action.error}`, true), [{ kind: 'refresh' }]);
      if (kind === 'installing') return stay(finish(state, `VM '${state.created}' was created, but installing macOS failed: ${action.error}`, true), [{ kind: 'refresh' }]);
      return stay(goto(state, 'summary', { job: undefined, error: action.error }), kind === 'downloading' ? [{ kind: 'loadImages' }] : []);
    }
  }
}
