// The wizard's state machine step by step, with expected states and tasks written out: every key on
// every step, every helper answer in every job. (wizardState.test.ts covers the chosen races.)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileSystemProbe } from '../../src/ui/pathCompletion.js';
import {
  createdSentence,
  initialWizardState,
  macOptions,
  reduceWizard,
  type WizardAction,
  type WizardEnv,
  type WizardState,
  type WizardTask,
} from '../../src/ui/wizardState.js';
import { tempFolder } from '../helpers/home.js';
import { linuxHost, linuxInit } from '../helpers/uiFixtures.js';

const init = linuxInit;
const dir = tempFolder('wizard', { 'isos/debian-13.iso': 'iso', 'isos/debian-12.iso': 'iso', 'sonoma.ipsw': 'ipsw' });
const env: WizardEnv = {
  init: { ...init, capabilities: { ...init.capabilities, macosGuests: true } },
  host: linuxHost,
  probe: fileSystemProbe(dir, dir),
  taken: ['dev'],
};
const latest = { version: '15.1', build: '24B83', url: 'https://x/a.ipsw' };

type Key = Extract<WizardAction, { type: 'key' }>['key'];
const key = (k: Key): WizardAction => ({ type: 'key', key: k });
const text = (t: string): WizardAction => ({ type: 'text', text: t });
function play(actions: WizardAction[], from: WizardState = initialWizardState) {
  let state = from;
  const tasks: WizardTask[] = [];
  for (const action of actions) {
    const t = reduceWizard(state, action, env);
    state = t.state;
    tasks.push(...t.tasks);
  }
  return { state, tasks };
}

test('Linux from an ISO, step by step, to a create with the sizes typed, then start and console', () => {
  let { state, tasks } = play([key('up'), key('next')]);
  assert.equal(state.osIndex, 0, 'up on the first choice stays there');
  assert.equal(state.step, 'source');
  assert.deepStrictEqual(tasks, []);
  // The second Linux source is the ISO.
  state = play([key('down')], state).state;
  assert.equal(state.linuxIndex, 1);
  // Enter with no path, then a missing file: the sentences; Tab completes the unique folder.
  state = play([key('next')], state).state;
  assert.match(state.error ?? '', /ISO image/);
  state = play([text('isos/nope.iso'), key('next')], state).state;
  assert.match(state.error ?? '', /nope\.iso/);
  state = play(Array<WizardAction>(13).fill(key('backspace')), state).state;
  assert.equal(state.iso, '');
  assert.equal(state.error, undefined, 'typing clears the problem');
  state = play([text('is'), key('tab')], state).state;
  assert.equal(state.iso, 'isos/');
  state = play([key('tab')], state).state;
  assert.equal(state.iso, 'isos/debian-1', 'Tab completes what the two files share');
  assert.deepStrictEqual([...state.candidates].sort(), ['debian-12.iso', 'debian-13.iso']);
  state = play([text('3.iso\u0007'), key('next')], state).state;
  assert.equal(state.iso, 'isos/debian-13.iso', 'control characters are not typed');
  assert.equal(state.step, 'name');
  assert.equal(state.name, 'debian-13', 'the name comes from the file');
  // A taken name, then back and forth keeps a typed name.
  state = play([...Array<WizardAction>(9).fill(key('backspace')), text('dev'), key('next')], state).state;
  assert.equal(state.error, "A VM named 'dev' already exists; pick another name.");
  state = play([text('2'), key('back'), key('next')], state).state;
  assert.equal(state.step, 'name');
  assert.equal(state.name, 'dev2', 'an edited name survives going back');
  state = play([key('next')], state).state;
  assert.equal(state.step, 'sizes');
  assert.deepStrictEqual(state.sizes, { cpus: '2', memory: '2G', disk: '16G' });
  assert.equal(state.field, 0);
  // Fields cycle both ways; a bad size sends the cursor to the first bad field.
  assert.equal(play([key('up')], state).state.field, 2);
  assert.equal(play([key('down'), key('tab')], state).state.field, 2);
  state = play([key('down'), key('backspace'), key('backspace'), text('x'), key('down'), key('next')], state).state;
  assert.equal(state.step, 'sizes');
  assert.equal(state.field, 1);
  assert.deepStrictEqual(Object.keys(state.sizeErrors), ['memory']);
  state = play([key('backspace'), text('1G'), key('next')], state).state;
  assert.equal(state.step, 'summary');
  assert.deepStrictEqual(state.sizeErrors, {});
  assert.deepStrictEqual(state.choices, {
    os: 'linux',
    source: { kind: 'iso', path: join(dir, 'isos', 'debian-13.iso') },
    name: 'dev2',
    sizes: { cpuCount: 2, memoryBytes: 1024 ** 3, diskBytes: 16 * 1024 ** 3 },
  });
  ({ state, tasks } = play([key('next')], state));
  assert.equal(state.step, 'busy');
  assert.deepStrictEqual(state.job, { kind: 'creating' });
  assert.deepStrictEqual(tasks, [
    { kind: 'create', params: { name: 'dev2', os: 'linux', cpuCount: 2, memoryBytes: 1024 ** 3, diskBytes: 16 * 1024 ** 3, boot: { kind: 'efi', iso: join(dir, 'isos', 'debian-13.iso') } } },
  ]);
  ({ state, tasks } = play([{ type: 'created', name: 'dev2' }], state));
  assert.equal(state.step, 'startNow');
  assert.equal(state.created, 'dev2');
  assert.equal(state.job, undefined);
  assert.deepStrictEqual(tasks, [{ kind: 'refresh' }]);
  assert.deepStrictEqual(play([key('next')], state).tasks, [], 'only y or n answer');
  assert.deepStrictEqual(play([key('no')], state).tasks, [{ kind: 'close', text: createdSentence('dev2') }]);
  assert.equal(createdSentence('dev2'), "Created VM 'dev2'; start it with s. Once the guest is installed, detach the ISO with 'vmtui configure dev2 --detach-iso' so it boots from its disk.");
  ({ state, tasks } = play([key('yes')], state));
  assert.deepStrictEqual([state.step, state.job, tasks], ['busy', { kind: 'starting' }, [{ kind: 'start', name: 'dev2' }]]);
  assert.deepStrictEqual(play([{ type: 'started' }], state).tasks, [{ kind: 'openConsole', name: 'dev2' }]);
});

test('back and leave on every form step', () => {
  const at = (step: WizardState['step'], linuxIndex = 1): WizardState => ({ ...initialWizardState, linuxIndex, step, error: 'old', note: 'old', candidates: ['x'] });
  const expectBack: Array<[WizardState['step'], WizardState['step'], number]> = [
    ['source', 'os', 1], ['name', 'source', 1], ['sizes', 'name', 1], ['summary', 'sizes', 1],
    // From a disk image the user and keys come between the name and the sizes.
    ['access', 'name', 0], ['sizes', 'access', 0],
  ];
  for (const [from, to, linuxIndex] of expectBack) {
    const { state, tasks } = play([key('back')], at(from, linuxIndex));
    assert.deepStrictEqual([state.step, state.error, state.note, state.candidates, tasks], [to, undefined, undefined, [], []], from);
    assert.deepStrictEqual(play([key('leave')], at(from, linuxIndex)).tasks, [{ kind: 'close' }], from);
  }
  assert.deepStrictEqual(play([key('back')], at('os')).tasks, [{ kind: 'close' }]);
  assert.deepStrictEqual(play([key('leave')], at('os')).tasks, [{ kind: 'close' }]);
  assert.deepStrictEqual(play([key('yes')], at('os')), { state: at('os'), tasks: [] }, 'a key a step does not use changes nothing');
});

test('macOS sources: latest (once looked up), a file, a URL, a cached image; each names the VM', () => {
  const images = [
    { name: 'UniversalMac_14.4_Restore.ipsw', path: '/c/UniversalMac_14.4_Restore.ipsw', sizeBytes: 9, complete: true },
    { name: 'a.ipsw.partial', path: '/c/a.ipsw.partial', sizeBytes: 4, complete: false, url: latest.url },
  ];
  let { state, tasks } = play([key('down'), key('down'), key('next'), { type: 'images', images }]);
  assert.equal(state.osIndex, 1, 'down on the last choice stays there');
  assert.deepStrictEqual(tasks, [{ kind: 'loadImages' }, { kind: 'loadLatest' }]);
  assert.deepStrictEqual(macOptions(state).map((o) => o.kind), ['latest', 'file', 'url', 'cached']);
  assert.equal(play([key('next')], state).state.error, 'Still looking up the latest macOS; try again in a moment.');
  assert.equal(play([{ type: 'latestFailed', error: 'No network.' }, key('next')], state).state.error, 'No network.');
  const withLatest = play([{ type: 'latest', latest }, key('next')], state).state;
  assert.deepStrictEqual([withLatest.step, withLatest.name], ['name', 'macos-15.1']);
  const file = play([key('down'), text('sonoma.ipsw'), key('next')], state).state;
  assert.deepStrictEqual([file.step, file.name], ['name', 'sonoma']);
  const url = play([key('down'), key('down'), text('ftp://x'), key('next')], state).state;
  assert.equal(url.step, 'source');
  assert.match(url.error ?? '', /ftp:\/\/x/);
  const goodUrl = play([key('down'), key('down'), text(' https://x/dl/Big_Sur.ipsw '), key('next')], state).state;
  assert.deepStrictEqual([goodUrl.step, goodUrl.name], ['name', 'Big_Sur']);
  const cached = play([key('down'), key('down'), key('down'), key('down'), key('next')], state).state;
  assert.equal(cached.macIndex, 3, 'down stops at the last source');
  assert.deepStrictEqual([cached.step, cached.name], ['name', 'UniversalMac_14.4_Restore']);
  assert.equal(play([key('up')], cached).state.step, 'name');
  // Tab on a source without a path field does nothing.
  assert.deepStrictEqual(play([key('tab')], state).state, state);
  // The latest image has a partial download: the summary asks whether to resume.
  ({ state } = play([{ type: 'latest', latest }, key('next'), key('next'), key('next')], state));
  assert.equal(state.step, 'summary');
  ({ state, tasks } = play([key('next')], state));
  assert.deepStrictEqual([state.step, state.resumeIndex, tasks], ['resume', 0, []]);
  assert.deepStrictEqual(play([key('next')], state).tasks, [{ kind: 'download', url: latest.url }]);
  assert.deepStrictEqual(play([key('down'), key('next')], state).tasks, [{ kind: 'download', url: latest.url, discard: 'a.ipsw.partial' }]);
  assert.equal(play([key('down'), key('up')], state).state.resumeIndex, 0);
  assert.equal(play([key('back')], state).state.step, 'summary');
  assert.equal(play([key('leave')], state).state.step, 'summary');
});

test('a download: progress, a stop that keeps what came, a failure; an install: progress, done, stopped, failed', () => {
  const choices = { os: 'macos' as const, source: { kind: 'latest' as const, latest }, name: 'mac', sizes: { cpuCount: 4, memoryBytes: 8 * 1024 ** 3, diskBytes: 64 * 1024 ** 3 } };
  const downloading: WizardState = { ...initialWizardState, step: 'busy', choices, job: { kind: 'downloading' } };
  const progress = { url: latest.url, receivedBytes: 3 * 1024 ** 2, totalBytes: 10 * 1024 ** 2, bytesPerSecond: 1 };
  let { state, tasks } = play([{ type: 'downloadProgress', progress } as WizardAction], downloading);
  assert.deepStrictEqual(state.job, { kind: 'downloading', download: progress });
  ({ state, tasks } = play([{ type: 'cancelled' }], state));
  assert.deepStrictEqual([state.step, state.job, state.note, tasks], ['summary', undefined, 'Download stopped; the 3 MiB downloaded so far is kept, and the next download of this image resumes from it.', [{ kind: 'loadImages' }]]);
  assert.equal(play([{ type: 'cancelled' }], downloading).state.note, 'Download stopped; what was downloaded is kept, and the next download of this image resumes from it.');
  ({ state, tasks } = play([{ type: 'failed', error: 'The server said 404.' }], downloading));
  assert.deepStrictEqual([state.step, state.error, tasks], ['summary', 'The server said 404.', [{ kind: 'loadImages' }]]);
  const creating: WizardState = { ...downloading, job: { kind: 'creating' } };
  assert.deepStrictEqual(play([{ type: 'downloadProgress', progress } as WizardAction], creating).state, creating, 'progress of no download is ignored');
  assert.deepStrictEqual(play([{ type: 'failed', error: 'Disk full.' }], creating).tasks, []);
  ({ state, tasks } = play([{ type: 'downloaded', path: '/c/a.ipsw' }], downloading));
  assert.deepStrictEqual(tasks, [{ kind: 'create', params: { name: 'mac', os: 'macos', cpuCount: 4, memoryBytes: 8 * 1024 ** 3, diskBytes: 64 * 1024 ** 3, boot: { kind: 'macos' }, ipsw: '/c/a.ipsw' } }]);
  assert.deepStrictEqual(play([{ type: 'downloaded', path: '/c/a.ipsw' }], initialWizardState).tasks, [], 'no choices, nothing to create');
  ({ state, tasks } = play([{ type: 'created', name: 'mac' }], state));
  assert.deepStrictEqual([state.step, state.job, tasks], ['busy', { kind: 'installing' }, [{ kind: 'refresh' }, { kind: 'install', name: 'mac' }]]);
  assert.deepStrictEqual(play([{ type: 'installProgress', fraction: 0.5, phase: 'installing' }], state).state.job, { kind: 'installing', install: { fraction: 0.5, phase: 'installing' } });
  assert.deepStrictEqual(play([{ type: 'installProgress', fraction: 0.5, phase: 'x' }], creating).state, creating);
  const installed = play([{ type: 'installed' }], state);
  assert.deepStrictEqual([installed.state.step, installed.state.doneText, installed.state.doneIsError, installed.tasks], ['done', "macOS is installed in VM 'mac'; start it with s.", false, [{ kind: 'refresh' }]]);
  assert.deepStrictEqual(play([key('next')], installed.state).tasks, [{ kind: 'close', text: "macOS is installed in VM 'mac'; start it with s." }]);
  assert.deepStrictEqual(play([key('up')], installed.state).tasks, []);
  const stopped = play([{ type: 'cancelled' }], state).state;
  assert.deepStrictEqual([stopped.step, stopped.doneIsError], ['done', true]);
  assert.equal(stopped.doneText, "Stopped installing macOS into VM 'mac'; the VM is kept but not installed. Delete it with d and create it again.");
  assert.deepStrictEqual(play([key('leave')], stopped).tasks, [{ kind: 'close', text: stopped.doneText, isError: true }]);
  const failed = play([{ type: 'failed', error: 'The image is damaged.' }], state).state;
  assert.equal(failed.doneText, "VM 'mac' was created, but installing macOS failed: The image is damaged.");
  assert.deepStrictEqual(play([{ type: 'imagesFailed', error: 'No cache.' }], initialWizardState).state.imagesError, 'No cache.');
});
