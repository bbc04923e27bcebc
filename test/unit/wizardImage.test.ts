// The wizard's Linux path from a disk or cloud image, step by step with the states, sentences and
// vm/create params written out: source (path or URL), name, user and keys, sizes (disk may stay
// empty), summary, the create with image/progress, a stop, a failure, start.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type ImageProgressParams } from '../../src/rpc/protocol.js';
import { fileSystemProbe } from '../../src/ui/pathCompletion.js';
import { checkImage, checkKernel, checkKeyFiles, checkSizes, createParams, defaultGuestUser, guestUserProblem, summaryRows } from '../../src/ui/wizardModel.js';
import { createdSentence, formSteps, initialWizardState, reduceWizard, type WizardAction, type WizardEnv, type WizardState, type WizardTask } from '../../src/ui/wizardState.js';
import { tempFolder } from '../helpers/home.js';
import { linuxHost, linuxInit } from '../helpers/uiFixtures.js';

const init = linuxInit;
const host = linuxHost; // 2 cores, 24 GiB, 80 GiB free
const dir = tempFolder('wizard-image', {
  'images/debian-12-generic-amd64.qcow2': 'QFI',
  '.ssh/id_ed25519.pub': 'ssh-ed25519 AAAA me@host\n',
  '.ssh/id_ed25519': 'private',
  '.ssh/work.pub': 'ssh-ed25519 BBBB me@work\n',
});
const probe = fileSystemProbe(dir, dir);
const env: WizardEnv = { init, host, probe, taken: ['dev'], hostUser: 'alice' };
const GiB = 1024 ** 3;
const imagePath = join(dir, 'images', 'debian-12-generic-amd64.qcow2');

const key = (k: Extract<WizardAction, { type: 'key' }>['key']): WizardAction => ({ type: 'key', key: k });
const text = (t: string): WizardAction => ({ type: 'text', text: t });
function play(actions: WizardAction[], from: WizardState = initialWizardState, e: WizardEnv = env) {
  let state = from;
  const tasks: WizardTask[] = [];
  for (const action of actions) {
    const t = reduceWizard(state, action, e);
    state = t.state;
    tasks.push(...t.tasks);
  }
  return { state, tasks };
}

test('the image source: a path (Tab completes), a URL as typed, and the sentences for what is wrong', () => {
  assert.deepStrictEqual(checkImage('', probe), { error: 'Type the path of a disk or cloud image (raw or qcow2), or its web address (Tab completes names).' });
  assert.deepStrictEqual(checkImage('images/none.img', probe), { error: `There is no file at ${join(dir, 'images', 'none.img')}; check the path (Tab completes names).` });
  assert.deepStrictEqual(checkImage('images', probe), { error: `${join(dir, 'images')} is a folder; type the name of a disk image (raw or qcow2) inside it (Tab lists what is there).` });
  assert.deepStrictEqual(checkImage('images/debian-12-generic-amd64.qcow2', probe), { image: imagePath });
  assert.deepStrictEqual(checkImage(' https://cloud.example.com/d/debian-12.qcow2 ', probe), { image: 'https://cloud.example.com/d/debian-12.qcow2' });
  assert.deepStrictEqual(checkImage('https://', probe), { error: "'https://' is not a web address; write it in full, as in https://example.com/debian-12-generic-amd64.qcow2." });

  let { state } = play([key('next')]);
  assert.deepStrictEqual([state.step, state.linuxIndex, formSteps(state).length], ['source', 0, 6], 'a disk image is the first Linux source');
  state = play([text('images/deb'), key('tab')], state).state;
  assert.equal(state.image, 'images/debian-12-generic-amd64.qcow2');
  const url = play([text('https://x/a'), key('tab')], { ...state, image: '' }).state;
  assert.equal(url.image, 'https://x/a', 'Tab leaves a URL as typed');
  const named = play([key('next')], state).state;
  assert.deepStrictEqual([named.step, named.name], ['name', 'debian-12-generic-amd64']);
  const fromUrl = play([text('https://cloud.example.com/d/bookworm.qcow2?x=1'), key('next')], { ...state, image: '' }).state;
  assert.deepStrictEqual([fromUrl.step, fromUrl.name], ['name', 'bookworm'], 'the name comes from the URL\'s path');
});

test('the user and keys: defaults shown, the helper\'s rule for names, key files checked, comma separated', () => {
  assert.equal(defaultGuestUser('alice'), 'alice');
  assert.equal(defaultGuestUser('root'), 'vmtui', 'root becomes vmtui, as the helper does');
  assert.equal(defaultGuestUser('Alice Smith'), 'vmtui');
  assert.equal(defaultGuestUser(''), 'vmtui');
  assert.equal(guestUserProblem(''), "Type the name of the guest's user (it gets your SSH keys and passwordless sudo).");
  assert.equal(guestUserProblem('root'), "'root' cannot be the guest's user: use 1 to 32 lower-case letters, digits, '_' or '-', starting with a letter or '_', and not root.");
  assert.equal(guestUserProblem('Bob'), "'Bob' cannot be the guest's user: use 1 to 32 lower-case letters, digits, '_' or '-', starting with a letter or '_', and not root.");
  assert.equal(guestUserProblem('bob'), undefined);
  assert.deepStrictEqual(checkKeyFiles(' , ', probe), {});
  assert.deepStrictEqual(checkKeyFiles('~/.ssh/id_ed25519.pub, .ssh/work.pub', probe), { files: [join(dir, '.ssh', 'id_ed25519.pub'), join(dir, '.ssh', 'work.pub')] });
  assert.deepStrictEqual(checkKeyFiles('.ssh/id_ed25519', probe), { error: `${join(dir, '.ssh', 'id_ed25519')} does not end in .pub; name the public key, never the private one.` });
  assert.deepStrictEqual(checkKeyFiles('.ssh/gone.pub', probe), { error: `There is no file at ${join(dir, '.ssh', 'gone.pub')}; check the path (Tab completes names).` });

  const atName: WizardState = { ...initialWizardState, step: 'name', image: 'images/debian-12-generic-amd64.qcow2', name: 'deb' };
  let { state } = play([key('next')], atName);
  assert.deepStrictEqual([state.step, state.user, state.keys, state.accessField], ['access', 'alice', '', 0]);
  assert.equal(play([key('next')], atName, { ...env, hostUser: 'root' }).state.user, 'vmtui');
  // A user typed before is kept when the name step is passed again.
  state = play([key('backspace'), key('backspace'), key('backspace'), key('backspace'), key('backspace'), text('Bob'), key('next')], state).state;
  assert.deepStrictEqual([state.step, state.error], ['access', "'Bob' cannot be the guest's user: use 1 to 32 lower-case letters, digits, '_' or '-', starting with a letter or '_', and not root."]);
  state = play([key('backspace'), key('backspace'), key('backspace'), text('bob'), key('back'), key('next')], state).state;
  assert.deepStrictEqual([state.step, state.user], ['access', 'bob']);
  state = play([key('tab'), text('.ssh/id_ed25519'), key('next')], state).state;
  assert.deepStrictEqual([state.step, state.accessField, state.error], ['access', 1, `${join(dir, '.ssh', 'id_ed25519')} does not end in .pub; name the public key, never the private one.`]);
  state = play([text('.pub'), key('next')], state).state;
  assert.deepStrictEqual([state.step, state.sizes, state.field], ['sizes', { cpus: '2', memory: '2G', disk: '' }, 0], 'the disk starts empty: the image\'s size');
});

test('sizes: an empty disk is the image\'s size; a typed one is checked; the summary and the params sent', () => {
  assert.deepStrictEqual(checkSizes({ cpus: '1', memory: '512M', disk: '' }, host, {}, true), { sizes: { cpuCount: 1, memoryBytes: 512 * 1024 ** 2 }, errors: {} });
  assert.deepStrictEqual(checkSizes({ cpus: '1', memory: '512M', disk: '' }, host).errors.disk !== undefined, true, 'an ISO VM needs a disk size');
  assert.deepStrictEqual(checkSizes({ cpus: '1', memory: '512M', disk: '100G' }, host, {}, true).errors, { disk: 'Only 80 GiB is free where VMs are kept; choose a smaller disk.' });

  const atAccess: WizardState = { ...initialWizardState, step: 'access', image: 'images/debian-12-generic-amd64.qcow2', name: 'deb', user: 'bob', keys: '.ssh/work.pub' };
  let { state, tasks } = play([key('next'), key('next')], atAccess);
  assert.equal(state.step, 'summary');
  const choices = { os: 'linux' as const, source: { kind: 'image' as const, image: imagePath }, name: 'deb', sizes: { cpuCount: 2, memoryBytes: 2 * GiB }, access: { user: 'bob', sshKeyFiles: [join(dir, '.ssh', 'work.pub')] } };
  assert.deepStrictEqual(state.choices, choices);
  assert.deepStrictEqual(summaryRows(choices, host), [
    ['Guest', "Linux, UEFI boot from the image's own disk"],
    ['Source', `disk image ${imagePath}`],
    ['Name', 'deb'],
    ['User', 'bob (SSH keys, passwordless sudo)'],
    ['SSH keys', join(dir, '.ssh', 'work.pub')],
    ['CPUs', '2 of 2 cores'],
    ['Memory', '2 GiB of 24 GiB'],
    ['Disk', "the image's own size, sparse (80 GiB free)"],
  ]);
  ({ state, tasks } = play([key('next')], state));
  assert.deepStrictEqual([state.step, state.job], ['busy', { kind: 'importing' }]);
  assert.deepStrictEqual(tasks, [{ kind: 'create', params: { name: 'deb', os: 'linux', cpuCount: 2, memoryBytes: 2 * GiB, image: imagePath, user: 'bob', sshKeyFiles: [join(dir, '.ssh', 'work.pub')] } }]);

  // Keys left empty: the helper's default, so none are sent; a typed disk is sent.
  const clearKeys = Array.from({ length: '.ssh/work.pub'.length }, () => key('backspace'));
  const defaults = play([key('tab'), ...clearKeys, key('next'), key('up'), text('20G'), key('next')], atAccess).state;
  assert.equal(defaults.step, 'summary');
  assert.deepStrictEqual(summaryRows(defaults.choices!, host).find(([k]) => k === 'SSH keys'), ['SSH keys', "every ~/.ssh/*.pub of your user (the helper's default)"]);
  assert.deepStrictEqual(createParams(defaults.choices!), { name: 'deb', os: 'linux', cpuCount: 2, memoryBytes: 2 * GiB, image: imagePath, diskBytes: 20 * GiB, user: 'bob' });
  const url = { ...choices, source: { kind: 'image' as const, image: 'https://cloud.example.com/deb.qcow2' } };
  assert.deepStrictEqual(summaryRows(url, host)[1], ['Source', 'disk image downloaded from https://cloud.example.com/deb.qcow2']);
});

test('creating from an image: progress, Esc asks, a stop makes no VM, a failure says why, then start and console', () => {
  const choices = { os: 'linux' as const, source: { kind: 'image' as const, image: 'https://x/deb.qcow2' }, name: 'deb', sizes: { cpuCount: 2, memoryBytes: 2 * GiB }, access: { user: 'bob' } };
  const importing: WizardState = { ...initialWizardState, step: 'busy', choices, job: { kind: 'importing' } };
  const progress: ImageProgressParams = { name: 'deb', phase: 'downloading', doneBytes: GiB, totalBytes: 2 * GiB, bytesPerSecond: 50 * 1024 ** 2, etaSeconds: 20 };
  let { state, tasks } = play([{ type: 'imageProgress', progress }], importing);
  assert.deepStrictEqual(state.job, { kind: 'importing', image: progress });
  const creating: WizardState = { ...importing, job: { kind: 'creating' } };
  assert.deepStrictEqual(play([{ type: 'imageProgress', progress }], creating).state, creating, 'progress of no image create is ignored');
  ({ state, tasks } = play([key('back')], state));
  assert.deepStrictEqual([state.step, tasks], ['confirmCancel', []]);
  assert.equal(play([key('no')], state).state.step, 'busy');
  ({ state, tasks } = play([key('yes')], state));
  assert.deepStrictEqual([state.step, state.job?.stopping, tasks], ['busy', true, [{ kind: 'abort' }]]);
  ({ state, tasks } = play([{ type: 'cancelled' }], state));
  assert.deepStrictEqual([state.step, state.job, state.note, tasks], ['summary', undefined, "Stopped creating VM 'deb'; no VM was made. What was downloaded is kept in the cache, and creating it again resumes from it.", []]);
  const local = { ...importing, choices: { ...choices, source: { kind: 'image' as const, image: imagePath } } };
  assert.equal(play([{ type: 'cancelled' }], local).state.note, "Stopped creating VM 'deb'; no VM was made.");
  const failed = play([{ type: 'failed', error: 'VMDK images are not supported; convert it to qcow2 or raw first.' }], importing).state;
  assert.deepStrictEqual([failed.step, failed.error, failed.job], ['summary', 'VMDK images are not supported; convert it to qcow2 or raw first.', undefined]);

  ({ state, tasks } = play([{ type: 'created', name: 'deb' }], importing));
  assert.deepStrictEqual([state.step, state.created, tasks], ['startNow', 'deb', [{ kind: 'refresh' }]]);
  assert.deepStrictEqual(play([key('no')], state).tasks, [{ kind: 'close', text: "Created VM 'deb'; start it with s, then log in with 'vmtui ssh deb'." }]);
  assert.equal(createdSentence('deb', 'image'), "Created VM 'deb'; start it with s, then log in with 'vmtui ssh deb'.");
  ({ state, tasks } = play([key('yes')], state));
  assert.deepStrictEqual([state.step, state.job, tasks], ['busy', { kind: 'starting' }, [{ kind: 'start', name: 'deb' }]]);
  assert.deepStrictEqual(play([{ type: 'started' }], state).tasks, [{ kind: 'openConsole', name: 'deb' }]);
});

test('the third Linux source, a kernel and its initrd: both checked, Tab completes after the comma, a kernel boot is sent', () => {
  writeFileSync(join(dir, 'images', 'vmlinuz'), 'k');
  writeFileSync(join(dir, 'images', 'initrd.img'), 'i');
  assert.deepStrictEqual(checkKernel('images/vmlinuz', probe), { kernel: join(dir, 'images', 'vmlinuz') });
  assert.deepStrictEqual(checkKernel('images/vmlinuz, images/initrd.img', probe), { kernel: join(dir, 'images', 'vmlinuz'), initrd: join(dir, 'images', 'initrd.img') });
  assert.deepStrictEqual(checkKernel('images/vmlinuz, images/nope', probe), { error: `There is no file at ${join(dir, 'images', 'nope')}; check the path (Tab completes names).` });
  assert.deepStrictEqual(checkKernel('', probe), { error: 'Type the path of a Linux kernel (Tab completes names).' });
  assert.deepStrictEqual(checkKernel('a, b, c', probe), { error: 'Type the kernel, then a comma and the initrd if there is one; nothing more.' });

  let { state } = play([key('next'), key('down'), key('down'), key('down')]);
  assert.deepStrictEqual([state.linuxIndex, formSteps(state).length], [2, 5], 'down stops at the kernel; no user step');
  state = play([text('images/vml'), key('tab'), text(',images/ini'), key('tab')], state).state;
  assert.equal(state.kernel, 'images/vmlinuz, images/initrd.img');
  state = play([key('next'), key('next'), key('next')], state).state;
  assert.equal(state.step, 'summary');
  let tasks: WizardTask[];
  ({ state, tasks } = play([key('next')], state));
  assert.deepStrictEqual(tasks, [{ kind: 'create', params: {
    name: 'vmlinuz', os: 'linux', cpuCount: 2, memoryBytes: 2 * GiB, diskBytes: 16 * GiB,
    boot: { kind: 'kernel', kernel: join(dir, 'images', 'vmlinuz'), cmdline: 'console=ttyS0', initrd: join(dir, 'images', 'initrd.img') },
  } }]);
  assert.deepStrictEqual(state.job, { kind: 'creating' });
  assert.equal(createdSentence('k', 'kernel'), "Created VM 'k'; start it with s.");
});
