// Pure components with fixture props, at the 80-column size the UI must fit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderToString } from 'ink';
import { decodeHostInfo, decodeInitializeResult, decodeVMListResult, type VMInfo } from '../../src/rpc/protocol.js';
import { Banner } from '../../src/ui/components/Banner.js';
import { Footer, fitHints, footerText } from '../../src/ui/components/Footer.js';
import { Header } from '../../src/ui/components/Header.js';
import { HelpOverlay, helpLines } from '../../src/ui/components/HelpOverlay.js';
import { visibleRange } from '../../src/ui/layout.js';
import { VmTable, headingText } from '../../src/ui/components/VmTable.js';
import { tableLayout } from '../../src/ui/layout.js';
import { DEFAULT_SORT, type VmRow } from '../../src/ui/vmRows.js';
import { sampleOf } from '../helpers/uiFixtures.js';
import { footerHints, helpEntries, keyMap } from '../../src/ui/keys.js';
import { plainTheme } from '../../src/ui/theme.js';

const fixture = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/protocol/${file}`, import.meta.url), 'utf8')).result;
const init = decodeInitializeResult(fixture('initialize.result.json'), 'result');
const linuxHost = decodeHostInfo(fixture('host-info-linux.result.json'), 'result');
const macHost = decodeHostInfo(fixture('host-info.result.json'), 'result');
const list = decodeVMListResult(fixture('vm-list.result.json'), 'result');

function lines(frame: string): string[] {
  return frame.split('\n');
}

function assertFits(frame: string, width: number) {
  for (const line of lines(frame)) assert.ok(line.length <= width, `line over ${width} columns: "${line}"`);
}

test('Header shows the host facts and fits 80 columns', () => {
  const frame = renderToString(<Header width={80} theme={plainTheme} init={init} host={linuxHost} />, { columns: 80 });
  assertFits(frame, 80);
  const [title, facts, ...note] = lines(frame);
  assert.match(title ?? '', /^vmtui 0\.1\.0 +helper 0\.1\.0 · build-box$/);
  assert.equal(facts, 'AMD EPYC 7B13 (x86_64) · 2 cores · 24.0 GiB memory · qemu + tcg · 80.0 GiB free');
  // The long note wraps at a word, whole.
  assert.deepStrictEqual(note, ['KVM is not usable here (/dev/kvm does not open); guests run under TCG emulation,', 'slowly.']);
});

test('Header keeps a long note to two lines', () => {
  const note = 'KVM is not usable here (/dev/kvm: no hardware virtualization); guests run under TCG emulation, slowly. The CPU shows no vmx or svm flag; enable VT-x/AMD-V in the firmware, or nested virtualization on the outer hypervisor.';
  const host = { ...linuxHost, virtualization: { ...linuxHost.virtualization, note } };
  const frame = renderToString(<Header width={80} theme={plainTheme} init={init} host={host} />, { columns: 80 });
  assertFits(frame, 80);
  assert.equal(lines(frame).length, 4, frame);
  assert.ok(frame.endsWith('…'), frame);
});

test('Header on a Mac names the chip and the VZ accelerator', () => {
  const frame = renderToString(<Header width={80} theme={plainTheme} init={{ ...init, backend: 'vz' }} host={macHost} />, { columns: 80 });
  assert.ok(frame.includes('Apple M2 Pro (arm64) · 10 cores · 32.0 GiB memory · vz + vz'), frame);
});

test('Header before the helper answers shows only the title', () => {
  const frame = renderToString(<Header width={80} theme={plainTheme} />, { columns: 80 });
  assert.equal(frame.trim(), 'vmtui 0.1.0');
});

const rowsOf = (vms: VMInfo[], pending: Record<string, string> = {}): VmRow[] =>
  vms.map((vm) => (pending[vm.name] ? { vm, pending: pending[vm.name] } : { vm }));

test('VmTable with no VMs says so honestly', () => {
  const frame = renderToString(<VmTable width={80} theme={plainTheme} rows={[]} sort={DEFAULT_SORT} />, { columns: 80 });
  assertFits(frame, 80);
  assert.match(frame, /^ {2}NAME ▲ +STATE +CPU +MEMORY +ADDRESS +UPTIME\nNo VMs yet\. Create one from a shell with 'vmtui create NAME/);
});

test('VmTable rows line up under the columns', () => {
  const rows: VmRow[] = [{ vm: list.vms[0]!, stats: { latest: sampleOf('dev'), cpu: [10, 50, 100] } }, { vm: list.vms[1]! }];
  const frame = renderToString(<VmTable width={80} theme={plainTheme} rows={rows} problems={list.problems} selected="dev" sort={DEFAULT_SORT} />, {
    columns: 80,
  });
  assertFits(frame, 80);
  const [head, dev, installer] = lines(frame);
  assert.equal(head?.indexOf('STATE'), dev?.indexOf('● running'));
  assert.ok(dev?.slice(head?.indexOf('CPU')).startsWith('  34% '), dev);
  assert.equal(head?.indexOf('MEMORY'), dev?.indexOf('612M/2G'));
  assert.equal(head?.indexOf('MEMORY'), installer?.indexOf('—/4G'));
  assert.equal(head?.indexOf('ADDRESS'), dev?.indexOf('127.0.0.1:40022'));
  assert.equal(head?.indexOf('UPTIME'), dev?.indexOf('1h 02m'));
  assert.ok(dev?.startsWith('› dev '), dev);
  assert.ok(installer?.startsWith('  installer '), installer);
  assert.match(lines(frame)[3] ?? '', /^! VM 'broken' cannot be read: The configuration/);
});

test('VmTable marks the sorted column in the heading, so the sort reads without colour', () => {
  const frame = renderToString(<VmTable width={120} theme={plainTheme} rows={rowsOf(list.vms)} sort={{ key: 'cpu', descending: true }} />, {
    columns: 120,
  });
  assert.match(lines(frame)[0] ?? '', /^ {2}NAME +OS +STATE +CPU ▼ +MEMORY +DISK +ADDRESS +UPTIME$/);
  assert.equal(headingText(tableLayout(120).columns, { key: 'name', descending: true }).slice(0, 8), '  NAME ▼');
});

test('VmTable shows a pending request in place of the state', () => {
  const frame = renderToString(<VmTable width={80} theme={plainTheme} rows={rowsOf(list.vms, { installer: 'starting' })} />, { columns: 80 });
  assert.match(frame, /^ {2}installer +◌ starting… +—/m);
});

test('visibleRange keeps the selected row in view', () => {
  assert.deepStrictEqual(visibleRange(3, 0, 10), { start: 0, end: 3 });
  assert.deepStrictEqual(visibleRange(10, 0, 4), { start: 0, end: 4 });
  assert.deepStrictEqual(visibleRange(10, 3, 4), { start: 0, end: 4 });
  assert.deepStrictEqual(visibleRange(10, 6, 4), { start: 3, end: 7 });
  assert.deepStrictEqual(visibleRange(10, 9, 4), { start: 6, end: 10 });
});

test('Footer hints come from the key map', () => {
  const frame = renderToString(<Footer width={80} theme={plainTheme} hints={footerHints()} status="Reading host facts…" />, { columns: 80 });
  // The middle hints (sort, filter, …) give way first, to the status; ? says it lists them all.
  assert.match(frame, /^s start {2}x stop {2}p pause {2}d delete {2}\? more keys {2}q quit +Reading host facts…$/);
  assert.equal(frame.length, 80);
  const idle = renderToString(<Footer width={80} theme={plainTheme} hints={footerHints()} />, { columns: 80 });
  assert.equal(idle, 's start  x stop  p pause  d delete  Enter details  ? more keys  q quit');
  assert.equal(footerText(footerHints('detail')), 'c console  Esc back  ? help  q quit');
  assert.equal(footerText(footerHints('filter')), 'Enter keep  Esc clear');
});

test('Footer drops middle hints to fit, keeping help and quit', () => {
  const hints = fitHints(footerHints(), 40);
  assert.equal(footerText(hints), 's start  x stop  ? more keys  q quit');
  const frame = renderToString(<Footer width={30} theme={plainTheme} hints={footerHints()} />, { columns: 30 });
  assert.equal(frame, 's start  ? more keys  q quit');
});

test('HelpOverlay lists every binding', () => {
  const frame = renderToString(<HelpOverlay width={80} theme={plainTheme} entries={helpEntries()} />, { columns: 80 });
  assertFits(frame, 80);
  for (const info of Object.values(keyMap)) {
    for (const binding of info.bindings) assert.ok(frame.includes(binding.label), binding.label);
    assert.ok(frame.includes(info.description), info.description);
  }
});

test('HelpOverlay shows a page at a time when the list is taller than its room, and says where it is', () => {
  const entries = helpEntries('dashboard');
  const all = helpLines(entries, 80);
  const frame = renderToString(<HelpOverlay width={80} height={16} theme={plainTheme} entries={entries} />, { columns: 80 });
  assertFits(frame, 80);
  assert.equal(lines(frame).length, 16, frame);
  // The help's own keys come first, whole.
  assert.match(frame, /^│ \? +Show or hide this help/m);
  assert.match(frame, /^│ Esc +Close this help/m);
  assert.match(frame, new RegExp(`more \\(lines 1–12 of ${all.length}\\)`));
  // Further down, the rest: every description is there on some page, none cut.
  const seen = new Set<string>();
  for (let offset = 0; offset < all.length; offset += 12) {
    const page = renderToString(<HelpOverlay width={80} height={16} offset={offset} theme={plainTheme} entries={entries} />, { columns: 80 });
    assertFits(page, 80);
    for (const line of lines(page)) seen.add(line.replace(/^│ |\s*│$/g, '').trim());
  }
  const shown = [...seen].join(' ').replace(/\s+/g, ' ');
  for (const entry of entries) assert.ok(shown.includes(entry.text), entry.text);
  // The last page ends at the list's end, however far the offset goes.
  const last = renderToString(<HelpOverlay width={80} height={16} offset={999} theme={plainTheme} entries={entries} />, { columns: 80 });
  assert.match(last, new RegExp(`back \\(lines ${all.length - 11}–${all.length} of ${all.length}\\)`));
});

test('Banner wraps a long sentence inside its border', () => {
  const message = 'The vmtui helper was killed by SIGKILL. Its log is at /home/someone/.vmtui/logs/helper-2025-01-01.log; restart vmtui to start a new helper.';
  const frame = renderToString(<Banner width={80} theme={plainTheme} message={message} />, { columns: 80 });
  assertFits(frame, 80);
  assert.ok(lines(frame).length >= 4, frame);
  assert.ok(frame.includes('SIGKILL'));
});
