// The dashboard as a pure component: fixture VMs in, keys pressed like a person, callbacks out.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { render } from 'ink-testing-library';
import { decodeVMInfo, decodeVMListResult, type VMInfo } from '../../src/rpc/protocol.js';
import { Dashboard, type DashboardProps } from '../../src/ui/components/Dashboard.js';
import { colorTheme, plainTheme, type Theme } from '../../src/ui/theme.js';
import { ARROW_DOWN, ARROW_UP, BACKSPACE, CTRL_C, ENTER, ESCAPE } from '../helpers/keys.js';
import { sampleOf } from '../helpers/uiFixtures.js';
import { press, waitForGone, waitForText } from '../helpers/frames.js';
import { waitFor, waitForEqual, waitForFrame } from '../helpers/wait.js';

const fixture = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/protocol/${file}`, import.meta.url), 'utf8')).result;
const list = decodeVMListResult(fixture('vm-list.result.json'), 'result');
const failed = decodeVMInfo(fixture('vm-get.result.json'), 'result');
// dev (running), installer (stopped), zeta (paused)
const paused: VMInfo = { ...(list.vms[0] as VMInfo), name: 'zeta', state: 'paused', sshAddress: '127.0.0.1:40023' };
const vms = [...list.vms, paused];

type Call = [string, ...unknown[]];

function dashboard(overrides: Partial<DashboardProps> = {}, theme: Theme = plainTheme) {
  const calls: Call[] = [];
  const record = (name: string) => (...args: unknown[]) => void calls.push([name, ...args]);
  const props: DashboardProps = {
    width: 100,
    height: 20,
    theme,
    vms,
    problems: list.problems,
    pending: {},
    stats: {
      dev: { latest: sampleOf('dev'), cpu: Array.from({ length: 60 }, (_, i) => i) },
      zeta: { latest: sampleOf('zeta'), cpu: [] },
    },
    onStart: record('start'),
    onStop: record('stop'),
    onPauseResume: record('pauseResume'),
    onDelete: record('delete'),
    onConsole: record('console'),
    onDetails: record('details'),
    onToggleHelp: record('help'),
    onQuit: record('quit'),
    onNotice: record('notice'),
    onContextChange: record('context'),
    ...overrides,
  };
  const ui = render(<Dashboard {...props} />);
  const last = () => calls.filter(([name]) => name !== 'context').at(-1);
  return { ui, calls, last, props };
}

test('rows come from VMInfo and stats: state symbol, CPU, memory, disk, address, uptime; problems as a line', () => {
  const { ui } = dashboard();
  const frame = ui.lastFrame() ?? '';
  const rows = frame.split('\n');
  assert.match(rows[0] ?? '', /^ {2}NAME ▲ +OS +STATE +CPU +MEMORY +DISK +ADDRESS +UPTIME$/);
  assert.match(rows[1] ?? '', /^› dev +linux +● running +34% [▁-█ ]+ 612M\/2G +1\.3M\/16G +127\.0\.0\.1:40022 1h 02m$/);
  assert.match(rows[2] ?? '', /^ {2}installer +linux +○ stopped +— +—\/4G +0\/20G +— +—$/);
  assert.match(rows[3] ?? '', /^ {2}zeta +linux +‖ paused +! [▁-█ ]+ —\/2G/);
  assert.match(rows[4] ?? '', /^! VM 'broken' cannot be read:/);
  ui.unmount();
});

test('the selected VM\'s sampling error shows under the table', async () => {
  const { ui } = dashboard();
  press(ui, 'G', 'j'); // G is not a key: j, after it, moves one row from dev
  const frame = await waitForText(ui, /^› installer/m);
  assert.doesNotMatch(frame, /could not be sampled/);
  press(ui, 'j');
  await waitForFrame(ui.lastFrame, "! VM 'zeta' could not be sampled: The host of VM 'zeta' did not answer");
  ui.unmount();
});

test('o cycles the sort column (shown in the heading), O reverses it; the selection follows its VM', async () => {
  const { ui, last } = dashboard();
  const order = () => (ui.lastFrame() ?? '').split('\n').slice(1, 4).map((l) => l.slice(2).split(' ')[0]);
  assert.deepStrictEqual(order(), ['dev', 'installer', 'zeta']);
  press(ui, 'O');
  await waitForFrame(ui.lastFrame, /^ {2}NAME ▼ /m);
  assert.deepStrictEqual(order(), ['zeta', 'installer', 'dev']);
  assert.match(ui.lastFrame() ?? '', /^› dev/m); // still dev, now at the bottom
  press(ui, 'o'); // OS
  await waitForFrame(ui.lastFrame, /^ {2}NAME +OS ▲ /m);
  press(ui, 'o'); // state: running, held, stopped
  await waitForFrame(ui.lastFrame, / STATE ▲ /);
  assert.deepStrictEqual(order(), ['dev', 'zeta', 'installer']);
  press(ui, 'o'); // CPU, busiest first; no figure last
  await waitForFrame(ui.lastFrame, / CPU ▼ /);
  assert.deepStrictEqual(order(), ['dev', 'installer', 'zeta']);
  press(ui, 's');
  await waitForEqual(last, ['start', 'dev'], 'a start of dev');
  ui.unmount();
});

test('/ filters as you type; Enter keeps the filter, Esc clears it; keys act on the filtered rows', async () => {
  const { ui, last, calls } = dashboard();
  press(ui, '/');
  await waitFor(() => calls.some(([n, c]) => n === 'context' && c === 'filter'), "the key context 'filter'");
  press(ui, 'z', 'e');
  let frame = await waitForFrame(ui.lastFrame, '/ze█  1 of 3 VMs · Enter keeps · Esc clears');
  assert.doesNotMatch(frame, /^. dev /m);
  assert.match(frame, /^› zeta/m);
  // While typing, letters are text: s did not start anything, q does not quit.
  press(ui, 'q', BACKSPACE, ENTER);
  frame = await waitForFrame(ui.lastFrame, "Filter 'ze': 1 of 3 VMs · Esc clears");
  assert.equal(last(), undefined, 'q and Backspace, handled before Enter, called nothing');
  press(ui, 's');
  await waitForEqual(last, ['start', 'zeta'], 'a start of zeta');
  press(ui, ESCAPE);
  frame = await waitFor(() => (!(ui.lastFrame() ?? '').includes('Filter') ? ui.lastFrame() : undefined), 'the filter to clear');
  assert.match(frame ?? '', /^ {2}dev /m);
  // Typing, then Esc: nothing kept.
  press(ui, '/', 'x', 'q');
  await waitForFrame(ui.lastFrame, "No VM matches 'xq'; press Esc to clear the filter.");
  press(ui, ESCAPE);
  await waitFor(() => !(ui.lastFrame() ?? '').includes('No VM matches'), 'the filter to clear');
  assert.ok(!calls.some(([n]) => n === 'stop' || n === 'quit'), 'x and q were text, not commands');
  ui.unmount();
});

test('with NO_COLOR every state still reads by its symbol, and colour adds nothing else', () => {
  const states: VMInfo[] = [
    { ...failed, name: 'a-error' },
    { ...failed, name: 'b-running', state: 'running' },
    { ...failed, name: 'c-stopped', state: 'stopped' },
    { ...failed, name: 'd-paused', state: 'paused' },
    { ...failed, name: 'e-starting', state: 'starting' },
  ];
  const plain = render(<Dashboard {...dashboard().props} vms={states} problems={[]} theme={plainTheme} />);
  const frame = plain.lastFrame() ?? '';
  assert.doesNotMatch(frame, /\u001B\[/, 'no escape codes without colour');
  for (const text of ['✗ error', '● running', '○ stopped', '‖ paused', '◌ starting']) assert.ok(frame.includes(text), text);
  plain.unmount();
  const coloured = render(<Dashboard {...dashboard().props} vms={states} problems={[]} theme={colorTheme} />);
  const colourFrame = coloured.lastFrame() ?? '';
  // Same words once the colour codes are gone.
  assert.equal(colourFrame.replace(/\u001B\[[0-9;]*m/g, ''), frame.replace(/›/g, '›'));
  coloured.unmount();
});

test('arrows and j/k move the selection; keys act on the selected VM', async () => {
  const { ui, last, calls } = dashboard();
  press(ui, 's');
  await waitForEqual(last, ['start', 'dev'], 'a start of dev');
  press(ui, ARROW_DOWN);
  await waitForText(ui, /^› installer/m);
  press(ui, 's');
  await waitForEqual(last, ['start', 'installer'], 'a start of installer');
  press(ui, 'j', 'j', 'j'); // past the end stays on the last row
  await waitForText(ui, /^› zeta/m);
  press(ui, 'p');
  await waitForEqual(last, ['pauseResume', 'zeta'], 'a pause of zeta');
  press(ui, 'c');
  await waitForEqual(last, ['console', 'zeta'], 'the console of zeta');
  press(ui, 'k', ARROW_UP);
  await waitForText(ui, /^› dev/m);
  press(ui, ENTER);
  await waitForEqual(last, ['details', 'dev'], 'the details of dev');
  press(ui, '?');
  await waitForEqual(last, ['help'], 'help');
  press(ui, 'q');
  await waitForEqual(last, ['quit'], 'quit');
  calls.length = 0;
  press(ui, CTRL_C);
  await waitForEqual(last, ['quit'], 'quit on Ctrl-C');
  ui.unmount();
});

test('x asks before stopping; n cancels, y stops; x again while stopping forces', async () => {
  const { ui, last, calls } = dashboard();
  press(ui, 'x');
  const frame = await waitForFrame(ui.lastFrame, "Stop VM 'dev'?");
  assert.ok(frame.includes('y/Enter stop · n/Esc/Ctrl-C cancel'), frame);
  await waitFor(() => calls.some(([n, c]) => n === 'context' && c === 'confirm'), "the key context 'confirm'");
  press(ui, 'n');
  await waitForGone(ui, 'Stop VM');
  assert.equal(last(), undefined);
  press(ui, 'x', 'y');
  await waitForEqual(last, ['stop', 'dev', false], 'a stop of dev');
  ui.rerender(<Dashboard {...dashboard().props} pending={{ dev: 'stopping' }} onStop={(name, force) => calls.push(['stop', name, force])} />);
  await waitForText(ui, 'stopping');
  press(ui, 'x');
  await waitForEqual(last, ['stop', 'dev', true], 'a forced stop of dev');
  ui.unmount();
});

test('x on a stopped VM and d on a running one explain instead', async () => {
  const { ui, last } = dashboard();
  press(ui, 'd');
  await waitForEqual(last, ['notice', "VM 'dev' is running; stop it (x) before deleting it."], 'the notice for d');
  press(ui, ARROW_DOWN, 'x');
  await waitForEqual(last, ['notice', "VM 'installer' is not running; there is nothing to stop."], 'the notice for x');
  ui.unmount();
});

test('delete asks for the name: a wrong name is refused, Esc cancels, the right name deletes', async () => {
  const { ui, last, calls } = dashboard();
  press(ui, ARROW_DOWN, 'd');
  const frame = await waitForFrame(ui.lastFrame, "Delete VM 'installer' and its disk?");
  assert.ok(frame.includes('Type the VM\'s name and press Enter (Esc/Ctrl-C cancels):'), frame);
  await waitFor(() => calls.some(([n, c]) => n === 'context' && c === 'prompt'), "the key context 'prompt'");
  // Letters are text here, not commands: q does not quit, d does not delete.
  press(ui, ...'inq');
  await waitForFrame(ui.lastFrame, '> inq█');
  press(ui, ENTER);
  await waitForFrame(ui.lastFrame, "That is not 'installer'");
  assert.equal(last(), undefined);
  press(ui, BACKSPACE);
  await waitForFrame(ui.lastFrame, '> in█');
  press(ui, ESCAPE);
  await waitFor(() => !(ui.lastFrame() ?? '').includes('Delete VM'), 'the prompt to close');
  assert.equal(last(), undefined);
  press(ui, 'd', ...'installer');
  await waitForFrame(ui.lastFrame, '> installer█');
  press(ui, ENTER);
  await waitForEqual(last, ['delete', 'installer'], 'a delete of installer');
  await waitFor(() => !(ui.lastFrame() ?? '').includes('Delete VM'), 'the prompt to close');
  ui.unmount();
});

test('an inactive dashboard ignores keys', async () => {
  const { ui, last, props, calls } = dashboard({ isActive: false });
  press(ui, 's', 'q');
  // Keys are handed to the screen in the order written: once p, written after the screen becomes
  // active, has acted, s and q have been seen and ignored.
  ui.rerender(<Dashboard {...props} isActive />);
  press(ui, 'p');
  await waitForEqual(last, ['pauseResume', 'dev'], 'p to act once active');
  assert.ok(!calls.some(([n]) => n === 'start' || n === 'quit'), JSON.stringify(calls));
  ui.unmount();
});

test('the selection stays on its VM when the list changes', async () => {
  const { ui, props } = dashboard();
  press(ui, ARROW_DOWN);
  await waitForText(ui, /^› installer/m);
  const newcomer: VMInfo = { ...failed, name: 'alpha', state: 'stopped' };
  ui.rerender(<Dashboard {...props} vms={[newcomer, ...vms]} />);
  await waitForFrame(ui.lastFrame, /^› installer/m);
  ui.rerender(<Dashboard {...props} vms={vms.filter((vm) => vm.name !== 'installer')} />);
  await waitForFrame(ui.lastFrame, /^› /m);
  ui.unmount();
});

test('keys typed faster than a render all land', async () => {
  const { ui, calls } = dashboard();
  // jj → zeta; s starts it; x asks and y answers before any render.
  press(ui, 'j', 'j', 's', 'x', 'y');
  await waitFor(() => calls.filter(([n]) => n === 'start' || n === 'stop').length === 2, 'start and stop');
  assert.deepStrictEqual(calls.filter(([n]) => n === 'start' || n === 'stop'), [['start', 'zeta'], ['stop', 'zeta', false]]);
  ui.unmount();
});
