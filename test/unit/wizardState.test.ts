// The wizard's state machine, action by action (pure: no helper, no Ink).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { decodeHostInfo, decodeInitializeResult } from '../../src/rpc/protocol.js';
import { fileSystemProbe } from '../../src/ui/pathCompletion.js';
import { initialWizardState, reduceWizard, type WizardAction, type WizardEnv, type WizardState } from '../../src/ui/wizardState.js';

const fixture = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/protocol/${file}`, import.meta.url), 'utf8')).result;
const init = decodeInitializeResult(fixture('initialize.result.json'), 'result');
const env: WizardEnv = {
  init: { ...init, capabilities: { ...init.capabilities, macosGuests: true } },
  host: decodeHostInfo(fixture('host-info-linux.result.json'), 'result'),
  probe: fileSystemProbe(tmpdir(), tmpdir()),
  taken: ['dev'],
};
const latest = { version: '15.1', build: '24B83', url: 'https://x/a.ipsw' };

function play(actions: WizardAction[], from: WizardState = initialWizardState) {
  let state = from;
  const tasks = [];
  for (const action of actions) {
    const t = reduceWizard(state, action, env);
    state = t.state;
    tasks.push(...t.tasks);
  }
  return { state, tasks };
}
const key = (k: Extract<WizardAction, { type: 'key' }>['key']): WizardAction => ({ type: 'key', key: k });

test('choosing macOS asks for the image list and the latest image; typing on a choice without a field does nothing', () => {
  const { state, tasks } = play([key('down'), key('next'), { type: 'text', text: 'abc' }]);
  assert.equal(state.step, 'source');
  assert.deepEqual(tasks, [{ kind: 'loadImages' }, { kind: 'loadLatest' }]);
  assert.equal(state.url + state.ipswPath, '');
  const onUrl = play([key('down'), key('down'), { type: 'text', text: 'https://x/b.ipsw' }], state).state;
  assert.equal(onUrl.url, 'https://x/b.ipsw');
});

test('a download that ends while the stop question is open goes on to create; a failed start ends with the reason', () => {
  const toSummary = play([key('down'), key('next'), { type: 'latest', latest }, key('next'), key('next'), key('next')]);
  assert.equal(toSummary.state.step, 'summary');
  const asking = play([key('next'), key('back')], toSummary.state);
  assert.equal(asking.state.step, 'confirmCancel');
  assert.deepEqual(asking.tasks, [{ kind: 'download', url: latest.url }]);
  const done = play([{ type: 'downloaded', path: '/c/a.ipsw' }], asking.state);
  assert.equal(done.state.step, 'busy');
  assert.equal(done.state.job?.kind, 'creating');
  assert.equal(done.tasks[0]?.kind, 'create');

  const linux = { ...initialWizardState, step: 'busy' as const, created: 'deb', job: { kind: 'starting' as const } };
  const failed = play([{ type: 'failed', error: 'QEMU exited as it started.' }], linux).state;
  assert.equal(failed.step, 'done');
  assert.equal(failed.doneIsError, true);
  assert.equal(failed.doneText, "Created VM 'deb', but it did not start: QEMU exited as it started.");
});

test('busy steps that cannot be stopped ignore Esc; downloads and installs ask first', () => {
  const creating = { ...initialWizardState, step: 'busy' as const, job: { kind: 'creating' as const } };
  assert.equal(play([key('back'), key('leave')], creating).state.step, 'busy');
  const installing = { ...creating, job: { kind: 'installing' as const } };
  const asked = play([key('leave')], installing).state;
  assert.equal(asked.step, 'confirmCancel');
  const kept = play([key('no')], asked).state;
  assert.equal(kept.step, 'busy');
  const stopping = play([key('yes')], asked);
  assert.deepEqual(stopping.tasks, [{ kind: 'abort' }]);
  assert.equal(stopping.state.job?.stopping, true);
  assert.equal(play([key('back')], stopping.state).state.step, 'busy', 'no second question while stopping');
});
