// The install wizard's state, actions and tasks, the choices offered, and the small helpers every
// part of its state machine uses (wizardForm.ts: keys on the form; wizardState.ts: the reducer).
import type { GuestOS, HostInfo, ImageProgressParams, InitializeResult, IpswImage, IpswLatestResult, IpswProgressParams, VMCreateParams } from '../rpc/protocol.js';
import { linuxAvailability, macosAvailability, type Availability } from '../format/availability.js';
import type { PathProbe } from './pathCompletion.js';
import type { GuestSource, SizeCheck, SizeTexts, WizardChoices } from './wizardModel.js';

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

export const stay = (state: WizardState, tasks: WizardTask[] = []): Transition => ({ state, tasks });

/** Another step, with the last step's problem, note and completions cleared. */
export function goto(state: WizardState, step: WizardStep, extra: Partial<WizardState> = {}): WizardState {
  return { ...state, step, error: undefined, note: undefined, candidates: [], ...extra };
}

export function detachAdvice(name: string): string {
  return `Once the guest is installed, detach the ISO with 'vmtui configure ${name} --detach-iso' so it boots from its disk.`;
}

export function createdSentence(name: string, source: GuestSource['kind'] = 'iso'): string {
  if (source === 'kernel') return `Created VM '${name}'; start it with s.`;
  if (source === 'image') return `Created VM '${name}'; start it with s, then log in with 'vmtui ssh ${name}'.`;
  return `Created VM '${name}'; start it with s. ${detachAdvice(name)}`;
}
