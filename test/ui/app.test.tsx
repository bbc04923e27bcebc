// The whole app with the real helper, driven like a person at the keyboard.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { HelperClient } from '../../src/rpc/client.js';
import { App } from '../../src/ui/app.js';
import { hostFacts, joinToWidth } from '../../src/format/text.js';
import { plainTheme } from '../../src/ui/theme.js';
import { tempHome, type TempHome } from '../helpers/home.js';
import { ARROW_DOWN, CTRL_C, ENTER, ESCAPE, LETTER_Q, QUESTION_MARK } from '../helpers/keys.js';
import { pidAlive } from '../helpers/process.js';
import { renderSized } from '../helpers/terminal.js';
import { waitFor, waitForFrame } from '../helpers/wait.js';

interface Harness {
  ui: ReturnType<typeof render>;
  home: TempHome;
  client: () => HelperClient;
  exits: number;
  done(): Promise<void>;
}

async function startApp(): Promise<Harness> {
  const home = await tempHome();
  let created: HelperClient | undefined;
  const factory = async () => (created = await HelperClient.start({ env: home.env }));
  const harness: Harness = {
    ui: undefined as unknown as ReturnType<typeof render>,
    home,
    exits: 0,
    client: () => {
      assert.ok(created, 'the app has not started a helper');
      return created;
    },
    done: async () => {
      harness.ui.unmount();
      await created?.shutdown();
      await home.remove();
    },
  };
  harness.ui = render(<App clientFactory={factory} theme={plainTheme} onExit={() => harness.exits++} />);
  return harness;
}

test('the header shows the host facts the helper reports', async () => {
  const app = await startApp();
  try {
    assert.ok(app.ui.frames[0]?.includes('Starting the helper…'), app.ui.frames[0]);
    const frame = await waitForFrame(app.ui.lastFrame, 'No VMs yet.');
    // Ask the same helper directly, then expect exactly that line (100 columns in the test stdout).
    const init = await app.client().initialize();
    const host = await app.client().hostInfo();
    // Free disk space moves while other programs write (it is read when the app starts), so that
    // one figure is compared as a figure; the rest of the line exactly.
    const free = / [\d.]+ GiB free$/m;
    const expected = joinToWidth(hostFacts(host, init), 100);
    const line = frame.split('\n').find((l) => l.startsWith(`${host.chip} (${host.arch})`))?.trimEnd() ?? '';
    assert.equal(line.replace(free, ' N GiB free'), expected.replace(free, ' N GiB free'), frame);
    assert.match(line, free, frame);
    assert.ok(frame.includes(`helper ${init.helperVersion}`), frame);
    assert.ok(frame.includes('? more keys  q quit'), frame);
  } finally {
    await app.done();
  }
});

test('? shows the help overlay and ? or Esc hides it', async () => {
  const app = await startApp();
  try {
    await waitForFrame(app.ui.lastFrame, 'No VMs yet.');
    app.ui.stdin.write(QUESTION_MARK);
    let frame = await waitForFrame(app.ui.lastFrame, 'Show or hide this help');
    assert.ok(frame.includes('q, Ctrl-C'), frame);
    assert.ok(!frame.includes('No VMs yet.'), frame);
    app.ui.stdin.write(QUESTION_MARK);
    frame = await waitForFrame(app.ui.lastFrame, 'No VMs yet.');
    assert.ok(!frame.includes('Show or hide this help'), frame);
    app.ui.stdin.write(QUESTION_MARK);
    await waitForFrame(app.ui.lastFrame, 'Show or hide this help');
    app.ui.stdin.write(ESCAPE);
    await waitForFrame(app.ui.lastFrame, 'No VMs yet.');
  } finally {
    await app.done();
  }
});

for (const [name, key] of [['q', LETTER_Q], ['Ctrl-C', CTRL_C]] as const) {
  test(`${name} shuts the helper down and exits`, async () => {
    const app = await startApp();
    try {
      await waitForFrame(app.ui.lastFrame, 'No VMs yet.');
      const { pid } = app.client();
      app.ui.stdin.write(key);
      await waitFor(() => app.exits === 1, 'the exit callback', 5000);
      assert.equal(pidAlive(pid), false, 'the helper is gone before the app exits');
      assert.deepStrictEqual(await app.client().process.exited, { exitCode: 0, signal: undefined });
    } finally {
      await app.done();
    }
  });
}

test('a helper that dies shows a banner with the log path, a new helper takes over, and q still quits', async () => {
  const app = await startApp();
  try {
    await waitForFrame(app.ui.lastFrame, 'No VMs yet.');
    const first = app.client();
    process.kill(first.pid, 'SIGKILL');
    const frame = await waitForFrame(app.ui.lastFrame, 'was killed by SIGKILL');
    assert.ok(frame.includes(first.logPath), frame);
    assert.ok(frame.includes('vmtui is starting a new helper'), frame);
    // The banner goes once the new helper has answered.
    await waitFor(() => app.client() !== first, 'a new helper');
    await waitFor(() => {
      const now = app.ui.lastFrame() ?? '';
      return !now.includes('SIGKILL') && now.includes('No VMs yet.');
    }, 'the banner to clear');
    assert.ok(pidAlive(app.client().pid));
    app.ui.stdin.write(LETTER_Q);
    await waitFor(() => app.exits === 1, 'the exit callback', 5000);
    assert.equal(pidAlive(app.client().pid), false, 'the new helper is shut down on quit');
  } finally {
    await app.done();
  }
});

test('with the real helper, the host strip shows live CPU and memory from host/stats', async () => {
  const app = await startApp();
  try {
    // Before the first sample the bars are empty ("—"); host/stats fills in a percentage and GiB used.
    const frame = await waitForFrame(app.ui.lastFrame, /^CPU [█▉▊▋▌▍▎▏░]+ \d+% {2}MEM [█▉▊▋▌▍▎▏░]+ \d+\.\d\/\d+\.\d GiB {2}\d+(\.\d)? GiB free/m);
    assert.equal(frame.includes('no live stats'), false, frame);
    assert.ok(frame.includes('No VMs yet.'), frame);
    assert.ok(frame.includes('No state changes since vmtui started.'), frame);
  } finally {
    await app.done();
  }
});

test('the layout follows the terminal size Ink reports', async () => {
  const home = await tempHome();
  let client: HelperClient | undefined;
  const instance = renderSized(<App clientFactory={async () => (client = await HelperClient.start({ env: home.env }))} theme={plainTheme} />, 80, 24);
  const { stdout } = instance;
  try {
    let frame = await waitForFrame(stdout.lastFrame, 'No VMs yet.');
    let lines = frame.split('\n');
    assert.equal(lines.length, 24, frame);
    assert.ok(lines.every((l) => l.length <= 80), frame);
    assert.match(lines.at(-1) ?? '', /^s start {2}x stop {2}p pause .*\? more keys {2}q quit/);
    stdout.resize(60, 20);
    frame = await waitForFrame(stdout.lastFrame, /^ {2}NAME ▲ +STATE +CPU +MEMORY$/m);
    lines = frame.split('\n');
    assert.equal(lines.length, 20, frame);
    assert.ok(lines.every((l) => l.length <= 60), frame);
    assert.match(lines[0] ?? '', /^vmtui /);
  } finally {
    instance.unmount();
    await client?.shutdown();
    await home.remove();
  }
});

test('a helper that cannot be found shows how to build it, and q still quits', async () => {
  const home = await tempHome();
  let exits = 0;
  const env = { ...home.env, VMTUI_HELPER: `${home.home}/no-such-helper` };
  const ui = render(<App clientFactory={() => HelperClient.start({ env })} theme={plainTheme} onExit={() => exits++} />);
  try {
    const frame = await waitForFrame(ui.lastFrame, 'build-helper.sh');
    assert.ok(frame.includes('VMTUI_HELPER names'), frame);
    assert.ok(!frame.includes('No VMs yet.'), frame);
    ui.stdin.write(LETTER_Q);
    await waitFor(() => exits === 1, 'the exit callback', 5000);
  } finally {
    ui.unmount();
    await home.remove();
  }
});

test('VMs from the helper show as rows; delete asks for the name and removes the VM through the helper', async () => {
  const home = await tempHome();
  const kernel = `${home.home}/vmlinuz`;
  writeFileSync(kernel, 'not really a kernel'); // vm/create checks that the file exists; nothing boots here
  const setup = await HelperClient.start({ env: home.env });
  try {
    await setup.initialize();
    for (const name of ['alpha', 'beta']) {
      await setup.createVm({ name, cpuCount: 1, memoryBytes: 256 * 1024 ** 2, diskBytes: 64 * 1024 ** 2, boot: { kind: 'kernel', kernel, cmdline: 'console=ttyS0' } });
    }
  } finally {
    await setup.shutdown();
  }
  let created: HelperClient | undefined;
  let exits = 0;
  const ui = render(
    <App clientFactory={async () => (created = await HelperClient.start({ env: home.env }))} theme={plainTheme} onExit={() => exits++} />,
  );
  try {
    let frame = await waitForFrame(ui.lastFrame, /^› alpha +linux +○ stopped +— +—\/256M +0\/64M +— +—$/m);
    assert.match(frame, /^ {2}beta +linux +○ stopped/m);
    ui.stdin.write('x');
    await waitForFrame(ui.lastFrame, "✗ VM 'alpha' is not running; there is nothing to stop.");
    ui.stdin.write('c');
    await waitForFrame(ui.lastFrame, "✗ VM 'alpha' is not running, so its console is closed; start it with s first.");
    // Details of a stopped VM, from the real helper: configuration, no snapshots, no console.
    ui.stdin.write(ENTER);
    frame = await waitForFrame(ui.lastFrame, /^Snapshots +none$/m);
    assert.match(frame, /^alpha {2}○ stopped {2}linux x86_64$/m);
    assert.match(frame, /^Config +1 CPU · 256 MiB memory · disk 0 B of 64 MiB · MAC [0-9a-f:]{17}$/m);
    assert.match(frame, /^Boot +kernel .*vmlinuz \(console=ttyS0\)$/m);
    assert.match(frame, /^Address +— \(not running\)$/m);
    assert.match(frame, /^Console +not running; s on the dashboard starts it$/m);
    ui.stdin.write(ESCAPE);
    await waitForFrame(ui.lastFrame, /^› alpha/m);
    ui.stdin.write(ARROW_DOWN);
    await waitForFrame(ui.lastFrame, /^› beta/m);
    ui.stdin.write('d');
    frame = await waitForFrame(ui.lastFrame, "Delete VM 'beta' and its disk?");
    assert.match(frame, /Enter delete {2}Esc cancel/);
    for (const ch of 'beta') ui.stdin.write(ch);
    await waitForFrame(ui.lastFrame, '> beta█');
    ui.stdin.write(ENTER);
    frame = await waitForFrame(ui.lastFrame, "Deleted VM 'beta'.");
    assert.doesNotMatch(frame, /^. beta/m);
    assert.match(frame, /^› alpha/m);
    const after = await created!.listVms();
    assert.deepStrictEqual(after.vms.map((vm) => vm.name), ['alpha']);
    ui.stdin.write(LETTER_Q);
    await waitFor(() => exits === 1, 'the exit callback', 5000);
  } finally {
    ui.unmount();
    await created?.shutdown();
    await home.remove();
  }
});
