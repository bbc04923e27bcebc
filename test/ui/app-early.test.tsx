// The UI with a helper started, and asked for the host facts, before it was drawn (as vmtui
// starts it): the very first frame shows the facts, with the real helper.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { HelperClient } from '../../src/rpc/client.js';
import { startEarlyHelper } from '../../src/rpc/earlyHelper.js';
import { App } from '../../src/ui/app.js';
import { plainTheme } from '../../src/ui/theme.js';
import { tempHome } from '../helpers/home.js';
import { waitForFrame } from '../helpers/wait.js';

test('the first frame shows the host facts answered before the UI was drawn', async () => {
  const home = await tempHome();
  const clients: HelperClient[] = [];
  const early = startEarlyHelper(async () => {
    const client = await HelperClient.start({ env: home.env });
    clients.push(client);
    return client;
  });
  const start = await early.takeReady(30_000); // a ceiling for a loaded machine, not a claim
  assert.ok(start, 'the helper answered initialize and host/info');
  const ui = render(<App clientFactory={early.factory} start={start} theme={plainTheme} />);
  try {
    const first = ui.frames[0] ?? '';
    assert.ok(first.includes(`${start.host.chip} (${start.host.arch})`), first);
    assert.ok(!first.includes('Starting the helper'), first);
    // The client is usable at once: the VM list comes from the same helper, no second one started.
    await waitForFrame(ui.lastFrame, 'No VMs yet.');
    assert.equal(clients.length, 1);
  } finally {
    ui.unmount();
    await Promise.all(clients.map((c) => c.shutdown()));
    await home.remove();
  }
});
