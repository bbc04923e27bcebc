// The app's console screen and live updates, against a fake client with fixture VMs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderToString } from 'ink';
import { render as renderTest } from 'ink-testing-library';
import { decodeVMListResult } from '../../src/rpc/protocol.js';
import { App } from '../../src/ui/app.js';
import { ConsoleView } from '../../src/ui/components/ConsoleView.js';
import { footerHints } from '../../src/ui/keys.js';
import { plainTheme } from '../../src/ui/theme.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { ARROW_DOWN, CTRL_RIGHT_BRACKET, ENTER } from '../helpers/keys.js';
import { waitFor, waitForFrame } from '../helpers/wait.js';

const list = decodeVMListResult(
  JSON.parse(readFileSync(new URL('../../../test/fixtures/protocol/vm-list.result.json', import.meta.url), 'utf8')).result,
  'result',
);

function startApp() {
  const fake = new FakeClient(list.vms);
  let exits = 0;
  const ui = renderTest(<App clientFactory={async () => fake.asClient()} theme={plainTheme} onExit={() => exits++} />);
  return { fake, ui, exits: () => exits };
}

test('ConsoleView fills the screen: title with state, output, footer from the key map', () => {
  const frame = renderToString(
    <ConsoleView width={60} height={6} theme={plainTheme} name="dev" state="running" lines={['a', 'b', 'c', 'd', 'e']} hints={footerHints('console')} />,
    { columns: 60 },
  );
  assert.deepStrictEqual(frame.split('\n'), [
    'Console · dev                                      ● running',
    'b',
    'c',
    'd',
    'e',
    'Ctrl-] leave the console',
  ]);
});

test('c opens the console: tail, live output, typed keys go to the guest, Ctrl-] comes back', async () => {
  const { fake, ui } = startApp();
  try {
    await waitForFrame(ui.lastFrame, /^› dev +linux +● running/m);
    ui.stdin.write('c');
    let frame = await waitForFrame(ui.lastFrame, 'VMTUI-GUEST-BOOTED');
    assert.match(frame, /^Console · dev +● running$/m);
    assert.match(frame, /^boot log$/m);
    assert.match(frame, /Ctrl-\] leave the console/);
    fake.consoleOutput('dev', 'ECHO: hi\r\n');
    fake.consoleOutput('installer', 'not this one\r\n');
    frame = await waitForFrame(ui.lastFrame, 'ECHO: hi');
    assert.ok(!frame.includes('not this one'), frame);
    ui.stdin.write('l');
    ui.stdin.write('s');
    ui.stdin.write(ENTER);
    ui.stdin.write('q'); // q is for the guest here, not quit
    await waitFor(() => fake.calls.filter(([c]) => c === 'consoleWrite').length === 4, 'four console writes');
    assert.deepStrictEqual(
      fake.calls.filter(([c]) => c === 'consoleWrite').map(([, , data]) => data),
      ['l', 's', ENTER, 'q'],
    );
    ui.stdin.write(ARROW_DOWN);
    await waitFor(() => fake.calls.some(([c, , data]) => c === 'consoleWrite' && data === ARROW_DOWN), 'the arrow as an escape sequence');
    ui.stdin.write(CTRL_RIGHT_BRACKET);
    frame = await waitForFrame(ui.lastFrame, "Left the console of VM 'dev'; it keeps running.");
    assert.match(frame, /^› dev +linux +● running/m);
    await waitFor(() => fake.calls.some(([c]) => c === 'consoleDetach'), 'console/detach');
    assert.equal(fake.consoleListeners, 0);
    assert.ok(!fake.calls.some(([c]) => c === 'stopVm'), 'the VM was not stopped');
  } finally {
    ui.unmount();
  }
});

test('the console says when its VM stops', async () => {
  const { fake, ui } = startApp();
  try {
    await waitForFrame(ui.lastFrame, /^› dev/m);
    ui.stdin.write('c');
    await waitForFrame(ui.lastFrame, 'VMTUI-GUEST-BOOTED');
    fake.changeState({ name: 'dev', state: 'stopped', time: 't' }, { hostPid: undefined, sshAddress: undefined });
    await waitForFrame(ui.lastFrame, "VM 'dev' stopped. Press Ctrl-] to go back.");
    ui.stdin.write(CTRL_RIGHT_BRACKET);
    await waitForFrame(ui.lastFrame, /^› dev +linux +○ stopped/m);
  } finally {
    ui.unmount();
  }
});

test('rows follow vm/stateChanged live; the stop ladder shows in the status line', async () => {
  const { fake, ui } = startApp();
  try {
    await waitForFrame(ui.lastFrame, /^› dev +linux +● running/m);
    ui.stdin.write('x');
    await waitForFrame(ui.lastFrame, "Stop VM 'dev'?");
    ui.stdin.write('y');
    await waitFor(() => fake.calls.some(([c]) => c === 'stopVm'), 'vm/stop');
    assert.deepStrictEqual(fake.calls.find(([c]) => c === 'stopVm')?.[1], { name: 'dev', force: false });
    fake.changeState({ name: 'dev', state: 'stopping', step: 'powerButton', time: 't' });
    let frame = await waitForFrame(ui.lastFrame, "VM 'dev': pressed the power button; waiting for the guest to power off.");
    assert.match(frame, /^› dev +linux +◌ stopping/m);
    fake.changeState({ name: 'dev', state: 'stopped', time: 't' }, { hostPid: undefined, vmPid: undefined, sshAddress: undefined });
    frame = await waitForFrame(ui.lastFrame, /^› dev +linux +○ stopped +— +—\/2G +1\.3M\/16G +— +—$/m);
    assert.match(frame, /VM 'dev' is stopped\./);
    fake.changeState({ name: 'installer', state: 'error', reason: 'QEMU was killed by signal 9.', time: 't' });
    frame = await waitForFrame(ui.lastFrame, "✗ VM 'installer' failed: QEMU was killed by signal 9.");
    assert.match(frame, /^ {2}installer +linux +✗ error/m);
  } finally {
    ui.unmount();
  }
});
