// The h key: an SSH session to the selected VM with the terminal handed over (Ink suspended), and
// back to the dashboard with a sentence; refused with a sentence when the VM is stopped or its SSH
// does not answer yet. The ssh process is the test's (openShell), the helper a FakeClient.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { decodeVMListResult, type VMInfo } from '../../src/rpc/protocol.js';
import { App } from '../../src/ui/app.js';
import { plainTheme } from '../../src/ui/theme.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { ARROW_DOWN } from '../helpers/keys.js';
import { waitFor, waitForFrame } from '../helpers/wait.js';

// dev (running), installer (stopped)
const list = decodeVMListResult(
  JSON.parse(readFileSync(new URL('../../../test/fixtures/protocol/vm-list.result.json', import.meta.url), 'utf8')).result,
  'result',
);

function startApp(vms: VMInfo[], status: number) {
  const fake = new FakeClient(vms);
  const sessions: string[][] = [];
  let finish: (() => void) | undefined;
  const openShell = (argv: string[]) => {
    sessions.push(argv);
    return new Promise<number>((done) => { finish = () => done(status); });
  };
  const ui = render(<App clientFactory={async () => fake.asClient()} theme={plainTheme} openShell={openShell} />);
  return { fake, ui, sessions, end: () => finish?.() };
}

const readyDev = (ready: boolean): VMInfo[] =>
  list.vms.map((vm) => (vm.name === 'dev' ? { ...vm, ssh: { host: '127.0.0.1', port: 40022, ready } } : vm));

test('h on a VM whose SSH answers runs ssh with its facts and says how the session ended', async () => {
  const { ui, sessions, end } = startApp(readyDev(true), 0);
  try {
    await waitForFrame(ui.lastFrame, /^› dev +linux +● running ssh/m);
    ui.stdin.write('h');
    await waitFor(() => sessions.length === 1 && sessions, 'ssh to start');
    assert.deepEqual(sessions[0], [
      '-p', '40022', '-i', '/home/alice/.ssh/id_ed25519', '-o', 'IdentitiesOnly=yes',
      '-o', 'UserKnownHostsFile=/home/alice/.vmtui/vms/web/known_hosts', '-o', 'StrictHostKeyChecking=accept-new',
      '-o', 'LogLevel=ERROR', 'alice@127.0.0.1',
    ]);
    end();
    await waitForFrame(ui.lastFrame, "The SSH session to VM 'dev' ended.");
    await waitForFrame(ui.lastFrame, /^› dev +linux +● running ssh/m);
  } finally {
    ui.unmount();
  }
});

test('a session that fails says its status; h on a VM without SSH yet, or stopped, says why and runs nothing', async () => {
  const failing = startApp(readyDev(true), 255);
  try {
    await waitForFrame(failing.ui.lastFrame, /^› dev +linux +● running ssh/m);
    failing.ui.stdin.write('h');
    await waitFor(() => failing.sessions.length === 1, 'ssh to start');
    failing.end();
    await waitForFrame(failing.ui.lastFrame, "✗ The SSH session to VM 'dev' ended with status 255.");
  } finally {
    failing.ui.unmount();
  }
  const { ui, sessions } = startApp(readyDev(false), 0);
  try {
    await waitForFrame(ui.lastFrame, /^› dev +linux +● running +/m);
    ui.stdin.write('h');
    await waitForFrame(ui.lastFrame, "VM 'dev' runs, but its SSH server does not answer on 127.0.0.1:40022 yet");
    ui.stdin.write(ARROW_DOWN);
    await waitForFrame(ui.lastFrame, /^› installer +linux +○ stopped/m);
    ui.stdin.write('h');
    await waitForFrame(ui.lastFrame, "✗ VM 'installer' is stopped, so there is nothing to log into; start it with s first.");
    assert.equal(sessions.length, 0);
  } finally {
    ui.unmount();
  }
});
