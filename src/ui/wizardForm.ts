// The install wizard's form: what each key does on each step (choices, typed fields, path
// completion, checks before going on), and the source the choices make.
import { completePath } from './pathCompletion.js';
import {
  checkFile,
  checkImage,
  checkKernel,
  checkKeyFiles,
  checkSizes,
  defaultGuestUser,
  guestUserProblem,
  isUrlText,
  createParams,
  defaultSizes,
  downloadUrl,
  partialFor,
  suggestName,
  urlProblem,
  type GuestSource,
  type WizardChoices,
} from './wizardModel.js';
import { newVmNameProblem } from '../rpc/names.js';
import {
  ACCESS_FIELDS,
  LINUX_CHOICES,
  OS_CHOICES,
  SIZE_FIELDS,
  chosenOs,
  createdSentence,
  fromImage,
  goto,
  linuxChoice,
  macOptions,
  osAvailability,
  stay,
  type Transition,
  type WizardEnv,
  type WizardKey,
  type WizardState,
  type WizardTask,
} from './wizardTypes.js';

/** The chosen source, or the sentence that says what is wrong with it. */
export function sourceOf(state: WizardState, env: WizardEnv): GuestSource | { error: string } {
  if (fromImage(state)) {
    const image = checkImage(state.image, env.probe);
    return 'error' in image ? image : { kind: 'image', image: image.image };
  }
  if (chosenOs(state) === 'linux' && linuxChoice(state) === 'kernel') {
    const boot = checkKernel(state.kernel, env.probe);
    return 'error' in boot ? boot : { kind: 'kernel', ...boot };
  }
  if (chosenOs(state) === 'linux') {
    const file = checkFile(state.iso, env.probe, 'an ISO image');
    return 'error' in file ? file : { kind: 'iso', path: file.path };
  }
  const option = macOptions(state)[state.macIndex] ?? { kind: 'latest' };
  switch (option.kind) {
    case 'latest':
      if (state.latest) return { kind: 'latest', latest: state.latest };
      return { error: state.latestError ?? 'Still looking up the latest macOS; try again in a moment.' };
    case 'file': {
      const file = checkFile(state.ipswPath, env.probe, 'a restore image (.ipsw)');
      return 'error' in file ? file : { kind: 'file', path: file.path };
    }
    case 'url': {
      const problem = urlProblem(state.url);
      return problem ? { error: problem } : { kind: 'url', url: state.url.trim() };
    }
    case 'cached':
      return { kind: 'cached', image: option.image };
  }
}

function nameSuggestion(source: GuestSource, taken: readonly string[]): string {
  switch (source.kind) {
    case 'iso':
      return suggestName(source.path, taken, 'linux');
    case 'kernel':
      return suggestName(source.kernel, taken, 'linux');
    case 'image':
      return suggestName(isUrlText(source.image) ? new URL(source.image).pathname : source.image, taken, 'linux');
    case 'latest':
      return suggestName(`macos-${source.latest.version}`, taken, 'macos');
    case 'file':
      return suggestName(source.path, taken, 'macos');
    case 'url':
      return suggestName(new URL(source.url).pathname, taken, 'macos');
    case 'cached':
      return suggestName(source.image.name, taken, 'macos');
  }
}

/** The text field the keyboard types into on this step, if any. */
function textField(state: WizardState): 'image' | 'iso' | 'kernel' | 'ipswPath' | 'url' | 'name' | 'user' | 'keys' | 'size' | undefined {
  if (state.step === 'name') return 'name';
  if (state.step === 'sizes') return 'size';
  if (state.step === 'access') return ACCESS_FIELDS[state.accessField] ?? 'user';
  if (state.step !== 'source') return undefined;
  if (chosenOs(state) === 'linux') return linuxChoice(state);
  const kind = macOptions(state)[state.macIndex]?.kind;
  return kind === 'file' ? 'ipswPath' : kind === 'url' ? 'url' : undefined;
}

export function edit(state: WizardState, change: (old: string) => string): WizardState {
  const field = textField(state);
  const base = { ...state, error: undefined, candidates: [] } as WizardState;
  switch (field) {
    case 'image':
      return { ...base, image: change(state.image) };
    case 'iso':
      return { ...base, iso: change(state.iso) };
    case 'kernel':
      return { ...base, kernel: change(state.kernel) };
    case 'user':
      return { ...base, user: change(state.user), userEdited: true };
    case 'keys':
      return { ...base, keys: change(state.keys) };
    case 'ipswPath':
      return { ...base, ipswPath: change(state.ipswPath) };
    case 'url':
      return { ...base, url: change(state.url) };
    case 'name':
      return { ...base, name: change(state.name), nameEdited: true };
    case 'size': {
      const key = SIZE_FIELDS[state.field] ?? 'cpus';
      const { [key]: _fixed, ...sizeErrors } = state.sizeErrors;
      return { ...base, sizes: { ...state.sizes, [key]: change(state.sizes[key]) }, sizeErrors };
    }
    default:
      return state;
  }
}

export function onKey(state: WizardState, key: WizardKey, env: WizardEnv): Transition {
  const os = chosenOs(state);
  switch (state.step) {
    case 'os': {
      if (key === 'up' || key === 'down') {
        const osIndex = Math.min(OS_CHOICES.length - 1, Math.max(0, state.osIndex + (key === 'up' ? -1 : 1)));
        return stay({ ...state, osIndex, error: undefined });
      }
      if (key === 'back' || key === 'leave') return stay(state, [{ kind: 'close' }]);
      if (key !== 'next') return stay(state);
      const availability = osAvailability(os, env);
      if (!availability.available) return stay({ ...state, error: availability.reason });
      const tasks: WizardTask[] = [];
      if (os === 'macos' && !state.images) tasks.push({ kind: 'loadImages' });
      if (os === 'macos' && !state.latest) tasks.push({ kind: 'loadLatest' });
      return stay(goto(state, 'source'), tasks);
    }
    case 'source': {
      if (key === 'back') return stay(goto(state, 'os'));
      if (key === 'leave') return stay(state, [{ kind: 'close' }]);
      if ((key === 'up' || key === 'down') && os === 'linux') {
        const linuxIndex = Math.min(LINUX_CHOICES.length - 1, Math.max(0, state.linuxIndex + (key === 'up' ? -1 : 1)));
        return stay({ ...state, linuxIndex, error: undefined, candidates: [] });
      }
      if ((key === 'up' || key === 'down') && os === 'macos') {
        const last = macOptions(state).length - 1;
        const macIndex = Math.min(last, Math.max(0, state.macIndex + (key === 'up' ? -1 : 1)));
        return stay({ ...state, macIndex, error: undefined, candidates: [] });
      }
      if (key === 'tab') {
        const field = textField(state);
        if (field === 'kernel') {
          // Completes the file after the last comma (the initrd), or the kernel.
          const at = state.kernel.lastIndexOf(',');
          const head = at === -1 ? '' : `${state.kernel.slice(0, at)}, `;
          const done = completePath(state.kernel.slice(at + 1).trimStart(), env.probe);
          return stay({ ...state, kernel: head + done.text, candidates: done.candidates, error: undefined });
        }
        if (field !== 'iso' && field !== 'ipswPath' && field !== 'image') return stay(state);
        if (isUrlText(state[field])) return stay(state); // a URL is taken as typed
        const done = completePath(state[field], env.probe);
        return stay({ ...state, [field]: done.text, candidates: done.candidates, error: undefined });
      }
      if (key === 'backspace') return stay(edit(state, (t) => t.slice(0, -1)));
      if (key !== 'next') return stay(state);
      const source = sourceOf(state, env);
      if ('error' in source) return stay({ ...state, error: source.error, candidates: [] });
      const name = state.nameEdited ? state.name : nameSuggestion(source, env.taken);
      return stay(goto(state, 'name', { name }));
    }
    case 'name': {
      if (key === 'back') return stay(goto(state, 'source'));
      if (key === 'leave') return stay(state, [{ kind: 'close' }]);
      if (key === 'backspace') return stay(edit(state, (t) => t.slice(0, -1)));
      if (key !== 'next') return stay(state);
      const problem = newVmNameProblem(state.name, env.taken, 'the VM');
      if (problem) return stay({ ...state, error: problem });
      if (fromImage(state)) {
        const user = state.userEdited ? state.user : defaultGuestUser(env.hostUser ?? '');
        return stay(goto(state, 'access', { user }));
      }
      return stay(toSizes(state, env));
    }
    case 'access': {
      if (key === 'back') return stay(goto(state, 'name'));
      if (key === 'leave') return stay(state, [{ kind: 'close' }]);
      if (key === 'up' || key === 'down' || key === 'tab') {
        return stay({ ...state, accessField: (state.accessField + 1) % ACCESS_FIELDS.length, error: undefined });
      }
      if (key === 'backspace') return stay(edit(state, (t) => t.slice(0, -1)));
      if (key !== 'next') return stay(state);
      const userError = guestUserProblem(state.user);
      if (userError) return stay({ ...state, error: userError, accessField: 0 });
      const keys = checkKeyFiles(state.keys, env.probe);
      if ('error' in keys) return stay({ ...state, error: keys.error, accessField: 1 });
      return stay(toSizes(state, env));
    }
    case 'sizes': {
      if (key === 'back') return stay(goto(state, fromImage(state) ? 'access' : 'name'));
      if (key === 'leave') return stay(state, [{ kind: 'close' }]);
      if (key === 'up' || key === 'down' || key === 'tab') {
        const by = key === 'up' ? -1 : 1;
        return stay({ ...state, field: (state.field + by + SIZE_FIELDS.length) % SIZE_FIELDS.length });
      }
      if (key === 'backspace') return stay(edit(state, (t) => t.slice(0, -1)));
      if (key !== 'next') return stay(state);
      const image = fromImage(state);
      const check = checkSizes(state.sizes, env.host, {}, image);
      const source = sourceOf(state, env);
      if (!check.sizes) {
        const first = SIZE_FIELDS.findIndex((f) => check.errors[f] !== undefined);
        return stay({ ...state, sizeErrors: check.errors, field: first === -1 ? state.field : first });
      }
      // The file may have gone since the source step: say so there.
      if ('error' in source) return stay(goto(state, 'source', { error: source.error }));
      const nameTaken = newVmNameProblem(state.name, env.taken, 'the VM');
      if (nameTaken) return stay(goto(state, 'name', { error: nameTaken }));
      const choices: WizardChoices = { os, source, name: state.name, sizes: check.sizes };
      if (image) {
        const keys = checkKeyFiles(state.keys, env.probe);
        if ('error' in keys) return stay(goto(state, 'access', { error: keys.error, accessField: 1 }));
        choices.access = keys.files ? { user: state.user.trim(), sshKeyFiles: keys.files } : { user: state.user.trim() };
      }
      return stay(goto(state, 'summary', { sizeErrors: {}, choices }));
    }
    case 'summary': {
      if (key === 'back') return stay(goto(state, 'sizes'));
      if (key === 'leave') return stay(state, [{ kind: 'close' }]);
      if (key !== 'next' || !state.choices) return stay(state);
      const problem = newVmNameProblem(state.choices.name, env.taken, 'the VM');
      if (problem) return stay({ ...state, error: problem });
      const url = downloadUrl(state.choices.source);
      if (url && partialFor(url, state.images ?? [])) return stay(goto(state, 'resume', { resumeIndex: 0 }));
      if (url) return stay(goto(state, 'busy', { job: { kind: 'downloading' } }), [{ kind: 'download', url }]);
      const kind = state.choices.source.kind === 'image' ? 'importing' : 'creating';
      return stay(goto(state, 'busy', { job: { kind } }), [{ kind: 'create', params: createParams(state.choices) }]);
    }
    case 'resume': {
      if (key === 'up' || key === 'down') return stay({ ...state, resumeIndex: key === 'up' ? 0 : 1 });
      if (key === 'back' || key === 'leave') return stay(goto(state, 'summary'));
      if (key !== 'next' || !state.choices) return stay(state);
      const url = downloadUrl(state.choices.source) ?? '';
      const partial = partialFor(url, state.images ?? []);
      const task: WizardTask = state.resumeIndex === 1 && partial ? { kind: 'download', url, discard: partial.name } : { kind: 'download', url };
      return stay(goto(state, 'busy', { job: { kind: 'downloading' } }), [task]);
    }
    case 'busy': {
      const cancellable = state.job?.kind === 'downloading' || state.job?.kind === 'installing' || state.job?.kind === 'importing';
      if ((key === 'back' || key === 'leave') && cancellable && !state.job?.stopping) return stay({ ...state, step: 'confirmCancel' });
      return stay(state);
    }
    case 'confirmCancel': {
      if (key === 'yes' && state.job) return stay({ ...state, step: 'busy', job: { ...state.job, stopping: true } }, [{ kind: 'abort' }]);
      if (key === 'no') return stay({ ...state, step: 'busy' });
      return stay(state);
    }
    case 'startNow': {
      const name = state.created ?? '';
      if (key === 'yes') return stay(goto(state, 'busy', { job: { kind: 'starting' } }), [{ kind: 'start', name }]);
      if (key === 'no') return stay(state, [{ kind: 'close', text: createdSentence(name, state.choices?.source.kind) }]);
      return stay(state);
    }
    case 'done': {
      if (key === 'next' || key === 'back' || key === 'leave') {
        const close: WizardTask = { kind: 'close' };
        if (state.doneText !== undefined) close.text = state.doneText;
        if (state.doneIsError) close.isError = true;
        return stay(state, [close]);
      }
      return stay(state);
    }
  }
}

/** The sizes step, with starting values when the guest system changed. */
function toSizes(state: WizardState, env: WizardEnv): WizardState {
  const os = chosenOs(state);
  const image = fromImage(state);
  const key = image ? 'linux-image' : os;
  if (state.sizesFor === key) return goto(state, 'sizes');
  const defaults = defaultSizes(os, env.host);
  if (image) defaults.disk = '';
  return goto(state, 'sizes', { sizes: defaults, sizesFor: key, field: 0, sizeErrors: {} });
}
