// The monitoring dashboard in the whole app, fed fixture stats through the fake client (below the
// rpc boundary; the real-helper side of the same paths is in app.test.tsx).
process.env.TZ = 'UTC'; // the ticker shows local clock times

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import type { HelperApi } from '../../src/rpc/api.js';
import { HelperRequestError } from '../../src/rpc/errors.js';
import { App } from '../../src/ui/app.js';
import { tableLayout } from '../../src/ui/layout.js';
import { plainTheme } from '../../src/ui/theme.js';
import { FakeClient } from '../helpers/fakeClient.js';
import { CTRL_RIGHT_BRACKET, ENTER, ESCAPE } from '../helpers/keys.js';
import { renderSized } from '../helpers/terminal.js';
import { hostStatsFixture, threeVms, vmStatsFixture, vmStatsWith } from '../helpers/uiFixtures.js';
import { waitFor, waitForFrame } from '../helpers/wait.js';

function startApp(fakes: FakeClient[] = [new FakeClient(threeVms()).withFixtureSnapshots()]) {
  let made = 0;
  const started: FakeClient[] = [];
  // Each start (the first, and every restart) takes the next fake helper.
  const factory = async (): Promise<HelperApi> => {
    const fake = fakes[Math.min(made++, fakes.length - 1)]!;
    started.push(fake);
    return fake.asClient();
  };
  const ui = render(<App clientFactory={factory} theme={plainTheme} />);
  return { ui, fake: fakes[0]!, started };
}

const subscribed = (fake: FakeClient) => waitFor(() => fake.calls.some(([c]) => c === 'subscribeStats'), 'stats/subscribe');

test('stats subscribe at 1 s once the helper is ready; samples fill the rows and the host strip', async () => {
  const { ui, fake } = startApp();
  try {
    await waitForFrame(ui.lastFrame, /^› dev /m);
    await subscribed(fake);
    assert.deepStrictEqual(fake.calls.find(([c]) => c === 'subscribeStats'), ['subscribeStats', 1000]);
    fake.emitHostStats(hostStatsFixture);
    fake.emitVmStats(vmStatsFixture);
    // One sample so far: the sparkline's newest cell, on the right (34 % of 2 vCPUs is low).
    const frame = await waitForFrame(ui.lastFrame, /^› dev +linux +● running +34% +▂ 612M\/2G +1\.3M\/16G +127\.0\.0\.1:40022 1h 02m$/m);
    assert.match(frame, /^ {2}installer +linux +○ stopped +— +—\/4G/m);
    assert.match(frame, /^ {2}zeta +linux +‖ paused +! +—\/2G/m);
    assert.match(frame, /^CPU █+[▏▎▍▌▋▊▉]?░+ 42% {2}MEM █+[▏▎▍▌▋▊▉]?░+ 12\.9\/24\.0 GiB {2}80\.0 GiB free$/m);
  } finally {
    ui.unmount();
  }
});

test('the sparkline shows the last minute, newest on the right, and bad samples do not break the row', async () => {
  const { ui, fake } = startApp();
  try {
    await subscribed(fake);
    for (const cpu of [0, 50, 100, Number.NaN, -40, Number.POSITIVE_INFINITY, 1e9]) {
      fake.emitVmStats(vmStatsWith({ dev: { cpuPercent: cpu } }));
    }
    // At 100 columns the minute has 6 cells of 10 s; every sample so far is in the newest cell,
    // which keeps its peak: 1e9 % clamps to the top. The figure is capped, never "NaN" or "Infinity".
    const frame = await waitForFrame(ui.lastFrame, /^› dev +linux +● running +9999% +█ 612M\/2G /m);
    const row = frame.split('\n').find((l) => l.startsWith('› dev')) ?? '';
    assert.ok(row.length <= 100, row);
    fake.emitVmStats(vmStatsWith({ dev: { cpuPercent: Number.NaN } }));
    await waitForFrame(ui.lastFrame, /^› dev +linux +● running +— +█ 612M\/2G /m);
  } finally {
    ui.unmount();
  }
});

test('the ticker shows recent state changes, newest first', async () => {
  const { ui, fake } = startApp();
  try {
    await waitForFrame(ui.lastFrame, 'No state changes since vmtui started.');
    await subscribed(fake); // the same render that subscribes starts listening for state changes
    fake.changeState({ name: 'installer', state: 'starting', time: '2026-11-26T16:00:01Z' });
    fake.changeState({ name: 'dev', state: 'stopping', step: 'powerButton', time: '2026-11-26T16:00:05Z' });
    await waitForFrame(ui.lastFrame, /^16:00:05 dev ◌ stopping \(power button\) · 16:00:01 installer ◌ starting$/m);
  } finally {
    ui.unmount();
  }
});

test('Enter shows details: graphs, configuration, snapshots, ssh, events, console tail; c and Ctrl-] and Esc move between screens', async () => {
  const { ui, fake } = startApp();
  try {
    await subscribed(fake);
    fake.changeState({ name: 'dev', state: 'running', time: '2026-11-26T16:00:09Z' });
    for (let i = 0; i < 30; i++) fake.emitVmStats(vmStatsWith({ dev: { cpuPercent: i * 6, residentBytes: 2 ** 30 + i * 2 ** 20 } }));
    await waitForFrame(ui.lastFrame, /^› dev .* 34%|^› dev .*174%/m);
    ui.stdin.write(ENTER);
    let frame = await waitForFrame(ui.lastFrame, /^Snapshots +3 \(current: before-upgrade\)$/m);
    assert.match(frame, /^dev {2}● running {2}linux x86_64 · up 1h 02m$/m);
    // 100 columns: the two graphs side by side.
    assert.match(frame, /^CPU 174% of one core · top: 2 vCPUs busy · 5 min +Memory 1\.0 GiB of 2 GiB · 5 min$/m);
    assert.match(frame, /^Config +2 CPUs · 2 GiB memory · disk 1\.3 MiB of 16 GiB · MAC 52:54:00:12:34:56$/m);
    assert.match(frame, /^Address +ssh -p 40022 user@127\.0\.0\.1 · 127\.0\.0\.1:40022 forwards to the guest's port 22$/m);
    assert.match(frame, /^Events +16:00:09 ● running$/m);
    assert.match(frame, /^Stats +every 1\.0 s · guest process 5160$/m);
    // The graph's newest column is the tallest: the last samples were the busiest.
    frame = await waitForFrame(ui.lastFrame, 'VMTUI-GUEST-BOOTED');
    assert.deepStrictEqual(fake.calls.filter(([c]) => c === 'listSnapshots'), [['listSnapshots', 'dev']]);
    assert.match(frame, /c console {2}Esc back {2}\? help {2}q quit/);
    // Live console output reaches the detail screen too.
    fake.consoleOutput('dev', 'login: \r\n');
    await waitForFrame(ui.lastFrame, /^login:$/m);
    ui.stdin.write('c');
    frame = await waitForFrame(ui.lastFrame, /^Console · dev +● running$/m);
    ui.stdin.write(CTRL_RIGHT_BRACKET);
    await waitForFrame(ui.lastFrame, /^Snapshots +3/m);
    // One attachment served both screens; it ends when the details close.
    assert.equal(fake.calls.filter(([c]) => c === 'consoleAttach').length, 1);
    assert.equal(fake.calls.filter(([c]) => c === 'consoleDetach').length, 0);
    ui.stdin.write(ESCAPE);
    frame = await waitForFrame(ui.lastFrame, /^› dev /m);
    assert.ok(!frame.includes('Snapshots'), frame);
    await waitFor(() => fake.calls.some(([c]) => c === 'consoleDetach'), 'console/detach');
  } finally {
    ui.unmount();
  }
});

test('keys typed faster than a render land on the screen the previous key opened', async () => {
  const { ui, fake } = startApp();
  try {
    await subscribed(fake);
    await waitForFrame(ui.lastFrame, /^› dev /m);
    // Help on and off, down, details of installer: no render in between. (A lone Esc is left out:
    // written together with the next key it reads as Alt+key, as a terminal would send it.)
    for (const key of ['?', '?', 'j', ENTER]) ui.stdin.write(key);
    await waitForFrame(ui.lastFrame, /^installer {2}○ stopped/m);
    // On the detail screen: help on and off, then c, which the detail screen answers.
    for (const key of ['?', '?', 'c']) ui.stdin.write(key);
    const frame = await waitForFrame(ui.lastFrame, "✗ VM 'installer' is not running, so its console is closed; start it with s first.");
    assert.match(frame, /^Snapshots /m);
    assert.ok(!frame.includes('Keys'), frame);
  } finally {
    ui.unmount();
  }
});

test('the detail screen of a stopped VM does not attach its console; an unreadable snapshot list says why', async () => {
  const fake = new FakeClient(threeVms()).withFixtureSnapshots();
  fake.listSnapshots = async () => {
    throw new HelperRequestError('snapshot/list', 1008, "The snapshots folder of VM 'installer' cannot be read; check its permissions.", undefined);
  };
  const { ui } = startApp([fake]);
  try {
    await waitForFrame(ui.lastFrame, /^› dev /m);
    ui.stdin.write('j');
    await waitForFrame(ui.lastFrame, /^› installer /m);
    ui.stdin.write(ENTER);
    const frame = await waitForFrame(ui.lastFrame, /^Snapshots +unknown: The snapshots folder of VM 'installer' cannot be read/m);
    assert.match(frame, /^Stats +none while the VM is not running$/m);
    assert.match(frame, /^Events +none this session$/m);
    assert.ok(!fake.calls.some(([c]) => c === 'consoleAttach'), 'no console/attach for a stopped VM');
  } finally {
    ui.unmount();
  }
});

test('a helper without stats: the note says why, the rows keep working', async () => {
  const fake = new FakeClient(threeVms()).withFixtureSnapshots();
  fake.statsError = new HelperRequestError('stats/subscribe', -32601, 'Unhandled method stats/subscribe', undefined);
  const { ui } = startApp([fake]);
  try {
    const frame = await waitForFrame(ui.lastFrame, "This helper has no live stats ('stats/subscribe'); rebuild it");
    assert.match(frame, /^› dev +linux +● running +— +—\/2G/m);
    ui.stdin.write('x');
    await waitForFrame(ui.lastFrame, "Stop VM 'dev'?");
  } finally {
    ui.unmount();
  }
});

test('the helper dies: a banner, a new (fake) helper, stats subscribed again, the banner clears', async () => {
  const first = new FakeClient(threeVms()).withFixtureSnapshots();
  const second = new FakeClient(threeVms()).withFixtureSnapshots();
  const { ui, started } = startApp([first, second]);
  try {
    await subscribed(first);
    first.emitVmStats(vmStatsFixture);
    await waitForFrame(ui.lastFrame, / 34% /);
    first.die();
    let frame = await waitForFrame(ui.lastFrame, 'The vmtui helper was killed by SIGKILL.');
    assert.ok(frame.includes('/tmp/fake-helper.log'), frame);
    assert.ok(frame.includes('vmtui is starting a'), frame);
    // No sample is current while the helper is gone.
    await waitForFrame(ui.lastFrame, /^› dev +linux +● running +— /m);
    assert.equal(first.statsListeners, 0, "the dead helper's listeners are gone");
    await subscribed(second);
    assert.equal(started.length, 2);
    frame = await waitFor(() => {
      const now = ui.lastFrame() ?? '';
      return now.includes('SIGKILL') ? undefined : now;
    }, 'the banner to clear');
    assert.ok(second.calls.some(([c]) => c === 'listVms'), 'the VM list was read again');
    second.emitVmStats(vmStatsWith({ dev: { cpuPercent: 120 } }));
    await waitForFrame(ui.lastFrame, /^› dev .* 120% /m);
  } finally {
    ui.unmount();
  }
});

test('unmounting unsubscribes from stats and drops the listeners', async () => {
  const { ui, fake } = startApp();
  await subscribed(fake);
  assert.equal(fake.statsListeners, 2);
  ui.unmount();
  await waitFor(() => fake.calls.some(([c]) => c === 'unsubscribeStats'), 'stats/unsubscribe');
  assert.equal(fake.statsListeners, 0);
});

test('the whole app fits every width from 60 to 200, on the dashboard and on the detail screen', async () => {
  const fake = new FakeClient([...threeVms(), { ...threeVms()[0]!, name: 'a-name-long-enough-to-be-cut-in-any-terminal-at-all', os: 'macos' }]).withFixtureSnapshots();
  const instance = renderSized(<App clientFactory={async () => fake.asClient()} theme={plainTheme} />, 60, 30);
  const { stdout } = instance;
  const check = (frame: string, width: number) => {
    const lines = frame.split('\n');
    assert.ok(lines.length <= 30, `${width}: ${lines.length} lines`);
    for (const line of lines) assert.ok(line.length <= width, `${width}: "${line}" is ${line.length} long in\n${frame}`);
  };
  try {
    await subscribed(fake);
    fake.emitHostStats({ ...hostStatsFixture, macosSlots: { used: 2, max: 2, vms: ['sonoma', 'sequoia'] } });
    fake.emitVmStats(vmStatsFixture);
    await waitForFrame(stdout.lastFrame, / 34% /);
    /**
     * Resizes and returns the newest frame drawn at the new width that shows `text`. Ink first
     * redraws the old tree in the new terminal; the app's frame follows once it has the new size
     * (its title line spans exactly the width).
     */
    const resizeTo = async (width: number, text: RegExp) => {
      const before = stdout.frames.length;
      stdout.resize(width, 30);
      const atWidth = (f: string) => f.split('\n')[0]?.length === width && text.test(f);
      return waitFor(() => stdout.frames.slice(before).findLast(atWidth), `a ${width}-column frame showing ${String(text)}`);
    };
    for (let width = 60; width <= 200; width++) {
      const heading = new RegExp(`^  ${tableLayout(width).columns.map((c) => c.title).join('.*')}`, 'm');
      check(await resizeTo(width, heading), width);
    }
    instance.write(ENTER);
    await waitForFrame(stdout.lastFrame, /^Snapshots +3/m);
    for (const width of [60, 80, 99, 100, 120, 200]) check(await resizeTo(width, /^Snapshots +3/m), width);
  } finally {
    instance.unmount();
  }
});
