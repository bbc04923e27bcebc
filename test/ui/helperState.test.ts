// The helper's life as the UI sees it: restarts with a banner, and giving up on a crash loop.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_RESTARTS, helperDiedSentence, helperReducer, initialHelperState, type HelperState } from '../../src/ui/hooks/useHelper.js';
import { decodeHostInfo, decodeInitializeResult } from '../../src/rpc/protocol.js';
import { readFileSync } from 'node:fs';

const fixture = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/protocol/${file}`, import.meta.url), 'utf8')).result;
const init = decodeInitializeResult(fixture('initialize.result.json'), 'result');
const host = decodeHostInfo(fixture('host-info-linux.result.json'), 'result');

function ready(): HelperState {
  let state = helperReducer(initialHelperState, { type: 'started', logPath: '/l' });
  state = helperReducer(state, { type: 'initialized', init });
  return helperReducer(state, { type: 'hostRead', host });
}

test('a death while restarting keeps the banner until the new helper has read the host', () => {
  let state = helperReducer(ready(), { type: 'gone', error: 'died', restarting: true });
  assert.equal(state.status, 'restarting');
  assert.equal(state.error, 'died');
  state = helperReducer(state, { type: 'started', logPath: '/l2' });
  state = helperReducer(state, { type: 'initialized', init });
  assert.equal(state.error, 'died');
  state = helperReducer(state, { type: 'hostRead', host });
  assert.equal(state.status, 'ready');
  assert.equal('error' in state, false);
});

test('given up on, failed, or stopping: later news does not change it', () => {
  for (const final of [
    helperReducer(ready(), { type: 'gone', error: 'gave up', restarting: false }),
    helperReducer(ready(), { type: 'failed', error: 'no helper' }),
  ]) {
    assert.deepStrictEqual(helperReducer(final, { type: 'hostRead', host }), final);
    assert.deepStrictEqual(helperReducer(final, { type: 'started', logPath: '/x' }), final);
    assert.equal(helperReducer(final, { type: 'stopping' }).status, 'stopping');
  }
  const stopping = helperReducer(ready(), { type: 'stopping' });
  assert.equal(helperReducer(stopping, { type: 'gone', error: 'x', restarting: true }).status, 'stopping');
});

test('the banner says what happened, where the log is, and what vmtui does about it', () => {
  const exit = { exitCode: undefined, signal: 'SIGKILL' };
  assert.equal(
    helperDiedSentence(exit, '/home/me/.vmtui/logs/helper.log', 1),
    'The vmtui helper was killed by SIGKILL. Its log is at /home/me/.vmtui/logs/helper.log. vmtui is starting a new helper; running VMs are not affected.',
  );
  assert.equal(
    helperDiedSentence({ exitCode: 3, signal: undefined }, '/l', MAX_RESTARTS + 1),
    `The vmtui helper exited with status 3. Its log is at /l. It died ${MAX_RESTARTS + 1} times within a minute, so vmtui stopped restarting it; see the log, then restart vmtui.`,
  );
});
