// The dashboard's layout at every width from 60 to 200: the columns fit, drop in priority order,
// and a rendered row never wraps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderToString } from 'ink';
import type { VMInfo } from '../../src/rpc/protocol.js';
import { VmTable } from '../../src/ui/components/VmTable.js';
import { COLUMN_PRIORITY, MARKER_WIDTH, TABLE_ORDER, tableLayout, type ColumnKey } from '../../src/ui/layout.js';
import { plainTheme } from '../../src/ui/theme.js';
import type { VmRow } from '../../src/ui/vmRows.js';
import { sampleOf, threeVms } from '../helpers/uiFixtures.js';

const WIDTHS = Array.from({ length: 141 }, (_, i) => 60 + i);

test('the columns never take more than the width, and the name column at least 12', () => {
  for (const width of WIDTHS) {
    const { columns } = tableLayout(width);
    const used = MARKER_WIDTH + columns.reduce((sum, c) => sum + c.width, 0);
    assert.ok(used <= width, `${width}: ${used} columns used`);
    assert.ok((columns.find((c) => c.key === 'name')?.width ?? 0) >= 12, String(width));
  }
});

test('columns drop in the fixed priority order and come back in it', () => {
  let previous: ColumnKey[] = [];
  for (const width of WIDTHS) {
    const keys = tableLayout(width).columns.map((c) => c.key);
    const shown = new Set(keys);
    // What shows is always the most important columns: a prefix of the priority list.
    assert.deepStrictEqual([...shown].sort(), COLUMN_PRIORITY.slice(0, shown.size).sort(), `${width}: ${keys.join(',')}`);
    // Left to right in table order.
    assert.deepStrictEqual(keys, TABLE_ORDER.filter((k) => shown.has(k)), String(width));
    // A wider terminal never shows fewer columns.
    assert.ok(previous.every((k) => shown.has(k)), `${width} lost a column that ${width - 1} showed`);
    previous = keys;
  }
  assert.deepStrictEqual(tableLayout(60).columns.map((c) => c.key), ['name', 'state', 'cpu', 'memory']);
  assert.deepStrictEqual(tableLayout(80).columns.map((c) => c.key), ['name', 'state', 'cpu', 'memory', 'address', 'uptime']);
  assert.deepStrictEqual(tableLayout(200).columns.map((c) => c.key), TABLE_ORDER);
});

test('the sparkline grows with the width, up to 30 cells', () => {
  assert.equal(tableLayout(60).sparkWidth, 6);
  let last = 0;
  for (const width of WIDTHS) {
    const { sparkWidth } = tableLayout(width);
    assert.ok(sparkWidth >= 6 && sparkWidth <= 30, `${width}: ${sparkWidth}`);
    if (tableLayout(width).columns.length === tableLayout(width - 1).columns.length) assert.ok(sparkWidth >= last, String(width));
    last = sparkWidth;
  }
  assert.equal(tableLayout(200).sparkWidth, 30);
});

test('below 60 columns the CPU sparkline goes before the CPU figure, and rows still fit', () => {
  assert.deepStrictEqual(tableLayout(45).columns.map((c) => c.key), ['name', 'state', 'cpu']);
  assert.equal(tableLayout(45).sparkWidth, 6);
  assert.deepStrictEqual(tableLayout(38).columns.map((c) => c.key), ['name', 'state', 'cpu']);
  assert.equal(tableLayout(38).sparkWidth, 0);
  assert.deepStrictEqual(tableLayout(30).columns.map((c) => c.key), ['name', 'state']);
  for (let width = 20; width < 60; width++) {
    const { columns } = tableLayout(width);
    assert.ok(MARKER_WIDTH + columns.reduce((s, c) => s + c.width, 0) <= Math.max(width, MARKER_WIDTH + 4 + 15), String(width));
  }
});

test('every rendered row fits its width and never wraps, 60 to 200 columns', () => {
  const vms: VMInfo[] = [
    ...threeVms(),
    { ...threeVms()[0]!, name: 'a-very-long-vm-name-that-goes-on-and-on-and-on-forever', state: 'stopping', os: 'macos' },
  ];
  const cpu = Array.from({ length: 60 }, (_, i) => (i % 7 === 0 ? Number.NaN : i * 4.5));
  const rows: VmRow[] = vms.map((vm) => ({
    vm,
    stats: { latest: { ...sampleOf('dev'), name: vm.name, cpuPercent: 1234.5, uptimeSeconds: 9_000_000 }, cpu },
    ...(vm.state === 'stopping' ? { pending: 'forcing off' } : {}),
  }));
  for (const width of WIDTHS) {
    const frame = renderToString(<VmTable width={width} height={10} theme={plainTheme} rows={rows} sort={{ key: 'cpu', descending: true }} selected="dev" />, {
      columns: width,
    });
    const lines = frame.split('\n');
    assert.equal(lines.length, 1 + rows.length, `${width}: a row wrapped\n${frame}`);
    for (const line of lines) assert.ok(line.length <= width, `${width}: "${line}" is ${line.length} long`);
    const heading = lines[0] ?? '';
    for (const column of tableLayout(width).columns) assert.ok(heading.includes(column.title), `${width}: ${column.title}`);
  }
});
