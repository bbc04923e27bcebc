// The z key: suspend the selected VM (vm/suspend), which then reads "◇ suspended" with the helper's
// sentence; refused with a sentence for a VM that is not running. The helper is a FakeClient.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { decodeVMListResult } from '../../src/rpc/protocol.js';
import { App } from '../../src/ui/app.js';
import { footerHints } from '../../src/ui/keys.js';
import { plainTheme } from '../../src/ui/theme.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { ARROW_DOWN } from '../helpers/keys.js';
import { waitFor, waitForFrame } from '../helpers/wait.js';

// dev (running), installer (stopped)
const list = decodeVMListResult(
  JSON.parse(readFileSync(new URL('../../../test/fixtures/protocol/vm-list.result.json', import.meta.url), 'utf8')).result,
  'result',
);

test('z suspends the running VM and the row shows it suspended; on a stopped VM it says why not', async () => {
  const fake = new FakeClient(list.vms);
  const ui = render(<App clientFactory={async () => fake.asClient()} theme={plainTheme} />);
  try {
    await waitForFrame(ui.lastFrame, /^› dev +linux +● running/m);
    ui.stdin.write('z');
    await waitFor(() => fake.calls.some((c) => c[0] === 'request' && c[1] === 'vm/suspend'), 'vm/suspend to be asked');
    assert.deepEqual(fake.calls.find((c) => c[1] === 'vm/suspend'), ['request', 'vm/suspend', { name: 'dev' }]);
    await waitForFrame(ui.lastFrame, /^› dev +linux +◇ suspended/m);
    await waitForFrame(ui.lastFrame, "Suspended: its memory is saved in state.save; 'vmtui start dev' resumes it.");
    ui.stdin.write(ARROW_DOWN);
    await waitForFrame(ui.lastFrame, /^› installer/m);
    ui.stdin.write('z');
    await waitForFrame(ui.lastFrame, "✗ VM 'installer' is stopped; only a running or paused VM can be suspended.");
    assert.equal(fake.calls.filter((c) => c[1] === 'vm/suspend').length, 1);
  } finally {
    ui.unmount();
  }
});

test('the footer and the help name the suspend key', () => {
  assert.ok(footerHints('dashboard').some((h) => h.keys === 'z' && h.text === 'suspend'));
});
