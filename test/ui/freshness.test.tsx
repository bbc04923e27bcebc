// The dashboard follows changes made elsewhere (vm/changed, vm/stateChanged from the fake client,
// below the rpc boundary; the real helper's side is test/e2e/vm-fresh.test.ts and tmux-fresh.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import type { HelperApi } from '../../src/rpc/api.js';
import { App } from '../../src/ui/app.js';
import { plainTheme } from '../../src/ui/theme.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { threeVms, vmStatsFixture } from '../helpers/uiFixtures.js';
import { waitFor, waitForFrame } from '../helpers/wait.js';

function startApp() {
  const fake = new FakeClient(threeVms()).withFixtureSnapshots();
  const factory = async (): Promise<HelperApi> => fake.asClient();
  const ui = render(<App clientFactory={factory} theme={plainTheme} />);
  return { ui, fake };
}

test('VMs made, renamed and deleted by another client appear, move and go without a restart', async () => {
  const { ui, fake } = startApp();
  try {
    await waitForFrame(ui.lastFrame, /^› dev /m);
    const [dev] = threeVms();
    fake.changeBundle({ name: 'web', change: 'added', time: 't1' }, { ...dev!, name: 'web', state: 'stopped' });
    await waitForFrame(ui.lastFrame, /^ {2}web +linux +○ stopped/m);
    fake.changeBundle({ name: 'web', change: 'renamed', newName: 'web2', time: 't2' }, { ...dev!, name: 'web2', state: 'stopped' });
    const renamed = await waitForFrame(ui.lastFrame, /^ {2}web2 +linux +○ stopped/m);
    assert.doesNotMatch(renamed, /^ {2}web +/m);
    fake.changeBundle({ name: 'installer', change: 'removed', time: 't3' });
    await waitFor(() => !/^ {2}installer /m.test(ui.lastFrame() ?? ''), 'the deleted VM to leave the table');
    fake.changeBundle({ name: 'web2', change: 'updated', time: 't4' }, { ...dev!, name: 'web2', state: 'stopped', memoryBytes: 4 * 2 ** 30 });
    await waitForFrame(ui.lastFrame, /^ {2}web2 +linux +○ stopped +— +—\/4G/m);
  } finally {
    ui.unmount();
  }
});

test('a VM told stopped shows no CPU, address or uptime at once, though the last sample still has them', async () => {
  const { ui, fake } = startApp();
  try {
    await waitFor(() => fake.calls.some(([c]) => c === 'subscribeStats'), 'stats/subscribe');
    fake.emitVmStats(vmStatsFixture);
    await waitForFrame(ui.lastFrame, /^› dev +linux +● running +34% .* 127\.0\.0\.1:40022 1h 02m$/m);
    fake.changeState({ name: 'dev', state: 'stopped', time: 't' }, { hostPid: undefined, vmPid: undefined, sshAddress: undefined });
    await waitForFrame(ui.lastFrame, /^› dev +linux +○ stopped +— +—\/2G +\S+ +— +—$/m);
  } finally {
    ui.unmount();
  }
});
