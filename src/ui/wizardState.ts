// The install wizard as a state machine: keys and helper answers in, the next state and the work
// to start out. Pure apart from the file system probe it is handed (stat and readdir).
import type { GuestOS, HostInfo, ImageProgressParams, InitializeResult, IpswImage, IpswLatestResult, IpswProgressParams, VMCreateParams } from '../rpc/protocol.js';
import { linuxAvailability, macosAvailability, type Availability } from '../format/availability.js';
import { completePath, type PathProbe } from './pathCompletion.js';
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
  type SizeCheck,
  type SizeTexts,
  type WizardChoices,
} from './wizardModel.js';
import { formatBytes } from '../format/vm.js';
import { newVmNameProblem } from '../rpc/names.js';

export type WizardStep = 'os' | 'source' | 'name' | 'access' | 'sizes' | 'summary' | 'resume' | 'busy' | 'confirmCancel' | 'startNow' | 'done';
export const FORM_STEPS: WizardStep[] = ['os', 'source', 'name', 'sizes', 'summary'];
/** A disk image adds the step for the guest's user and keys. */
export const IMAGE_FORM_STEPS: WizardStep[] = ['os', 'source', 'name', 'access', 'sizes', 'summary'];
export const OS_CHOICES: GuestOS[] = ['linux', 'macos'];
/** Where a Linux guest comes from: a disk or cloud image first, an installer ISO second. */
export const LINUX_CHOICES = ['image', 'iso', 'kernel'] as const;
export type LinuxChoice = (typeof LINUX_CHOICES)[number];
export const SIZE_FIELDS: (keyof SizeTexts)[] = ['cpus', 'memory', 'disk'];
export const ACCESS_FIELDS = ['user', 'keys'] as const;

export interface WizardEnv {
  init: InitializeResult;
  host: HostInfo;
  probe: PathProbe;
  /** Names of the VMs there are now. */
  taken: readonly string[];
  /** The user this TUI runs as (the guest user's default comes from it); unknown: "vmtui". */
  hostUser?: string;
}

export type MacOption = { kind: 'latest' } | { kind: 'file' } | { kind: 'url' } | { kind: 'cached'; image: IpswImage };

/** `importing`: vm/create from a disk image, which downloads and imports it (image/progress). */
export type JobKind = 'creating' | 'importing' | 'starting' | 'downloading' | 'installing';

export interface Job {
  kind: JobKind;
  download?: IpswProgressParams;
  image?: ImageProgressParams;
  install?: { fraction: number; phase: string };
  /** Set once a cancel was asked for and is on its way. */
  stopping?: boolean;
}

export interface WizardState {
  step: WizardStep;
  osIndex: number;
  linuxIndex: number;
  /** A disk image's path or URL, as typed. */
  image: string;
  iso: string;
  /** "KERNEL" or "KERNEL, INITRD". */
  kernel: string;
  macIndex: number;
  ipswPath: string;
  url: string;
  images?: IpswImage[];
  imagesError?: string;
  latest?: IpswLatestResult;
  latestError?: string;
  name: string;
  nameEdited: boolean;
  /** The guest's user and key files (comma separated; empty: the helper's default). */
  user: string;
  userEdited: boolean;
  keys: string;
  accessField: number;
  sizes: SizeTexts;
  /** What the sizes were made for: a guest system, or 'linux-image' (disk empty: the image's size). */
  sizesFor?: GuestOS | 'linux-image';
  field: number;
  sizeErrors: SizeCheck['errors'];
  resumeIndex: number;
  /** The current step's problem, as a sentence. */
  error?: string;
  /** Something worth knowing that is not a problem (a stopped download was kept). */
  note?: string;
  candidates: string[];
  choices?: WizardChoices;
  job?: Job;
  /** The VM made by this wizard, once vm/create answered. */
  created?: string;
  doneText?: string;
  doneIsError?: boolean;
}

export type WizardKey = 'next' | 'back' | 'up' | 'down' | 'tab' | 'leave' | 'backspace' | 'yes' | 'no';

export type WizardAction =
  | { type: 'key'; key: WizardKey }
  | { type: 'text'; text: string }
  | { type: 'images'; images: IpswImage[] }
  | { type: 'imagesFailed'; error: string }
  | { type: 'latest'; latest: IpswLatestResult }
  | { type: 'latestFailed'; error: string }
  | { type: 'downloadProgress'; progress: IpswProgressParams }
  | { type: 'imageProgress'; progress: ImageProgressParams }
  | { type: 'downloaded'; path: string }
  | { type: 'created'; name: string }
  | { type: 'started' }
  | { type: 'installProgress'; fraction: number; phase: string }
  | { type: 'installed' }
  | { type: 'cancelled' }
  | { type: 'failed'; error: string };

export type WizardTask =
  | { kind: 'loadImages' }
  | { kind: 'loadLatest' }
  | { kind: 'download'; url: string; discard?: string }
  | { kind: 'create'; params: VMCreateParams }
  | { kind: 'start'; name: string }
  | { kind: 'install'; name: string }
  | { kind: 'abort' }
  | { kind: 'refresh' }
  | { kind: 'openConsole'; name: string }
  | { kind: 'close'; text?: string; isError?: boolean };

export interface Transition {
  state: WizardState;
  tasks: WizardTask[];
}

export const initialWizardState: WizardState = {
  step: 'os', osIndex: 0, linuxIndex: 0, image: '', iso: '', kernel: '', macIndex: 0, ipswPath: '', url: '', name: '', nameEdited: false,
  user: '', userEdited: false, keys: '', accessField: 0, sizes: { cpus: '', memory: '', disk: '' }, field: 0, sizeErrors: {}, resumeIndex: 0, candidates: [],
};

export function osAvailability(os: GuestOS, env: WizardEnv): Availability {
  return os === 'macos' ? macosAvailability(env.init, env.host) : linuxAvailability(env.init);
}

export function chosenOs(state: WizardState): GuestOS {
  return OS_CHOICES[state.osIndex] ?? 'linux';
}

export function linuxChoice(state: WizardState): LinuxChoice {
  return LINUX_CHOICES[state.linuxIndex] ?? 'image';
}

/** True when the VM is made from a disk image (its own size may stay; user and keys are asked). */
export function fromImage(state: WizardState): boolean {
  return chosenOs(state) === 'linux' && linuxChoice(state) === 'image';
}

/** The form's steps for what is chosen so far ("3 of 6"). */
export function formSteps(state: WizardState): WizardStep[] {
  return fromImage(state) ? IMAGE_FORM_STEPS : FORM_STEPS;
}

/** The macOS sources offered: the latest image, a file, a URL, and every complete cached image. */
export function macOptions(state: WizardState): MacOption[] {
  const cached = (state.images ?? []).filter((i) => i.complete).map((image): MacOption => ({ kind: 'cached', image }));
  return [{ kind: 'latest' }, { kind: 'file' }, { kind: 'url' }, ...cached];
}

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

function edit(state: WizardState, change: (old: string) => string): WizardState {
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

const stay = (state: WizardState, tasks: WizardTask[] = []): Transition => ({ state, tasks });

function goto(state: WizardState, step: WizardStep, extra: Partial<WizardState> = {}): WizardState {
  return { ...state, step, error: undefined, note: undefined, candidates: [], ...extra };
}

function onKey(state: WizardState, key: WizardKey, env: WizardEnv): Transition {
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

export function detachAdvice(name: string): string {
  return `Once the guest is installed, detach the ISO with 'vmtui configure ${name} --detach-iso' so it boots from its disk.`;
}

export function createdSentence(name: string, source: GuestSource['kind'] = 'iso'): string {
  if (source === 'kernel') return `Created VM '${name}'; start it with s.`;
  if (source === 'image') return `Created VM '${name}'; start it with s, then log in with 'vmtui ssh ${name}'.`;
  return `Created VM '${name}'; start it with s. ${detachAdvice(name)}`;
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
