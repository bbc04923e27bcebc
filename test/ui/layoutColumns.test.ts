// The dashboard's columns written out as literals: which show at each width where one drops, in
// which order, how wide. (layout.test.tsx checks the rules that hold at every width.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COLUMN_PRIORITY, TABLE_ORDER, tableLayout } from '../../src/ui/layout.js';

test('the columns at each width where one drops, written out', () => {
  // Priority, most important first: name, state, cpu, memory, address, uptime, disk, os.
  const table: Array<[number, string[]]> = [
    [34, ['name', 'state']],
    [35, ['name', 'state', 'cpu']],
    [51, ['name', 'state', 'cpu']],
    [52, ['name', 'state', 'cpu', 'memory']],
    [67, ['name', 'state', 'cpu', 'memory']],
    [68, ['name', 'state', 'cpu', 'memory', 'address']],
    [76, ['name', 'state', 'cpu', 'memory', 'address']],
    [77, ['name', 'state', 'cpu', 'memory', 'address', 'uptime']],
    [86, ['name', 'state', 'cpu', 'memory', 'address', 'uptime']],
    [87, ['name', 'state', 'cpu', 'memory', 'disk', 'address', 'uptime']],
    [93, ['name', 'state', 'cpu', 'memory', 'disk', 'address', 'uptime']],
    [94, ['name', 'os', 'state', 'cpu', 'memory', 'disk', 'address', 'uptime']],
  ];
  for (const [width, keys] of table) assert.deepStrictEqual(tableLayout(width).columns.map((c) => c.key), keys, String(width));
  assert.deepStrictEqual(COLUMN_PRIORITY, ['name', 'state', 'cpu', 'memory', 'address', 'uptime', 'disk', 'os']);
  assert.deepStrictEqual(TABLE_ORDER, ['name', 'os', 'state', 'cpu', 'memory', 'disk', 'address', 'uptime']);
});

test('column widths and titles at 80 and 120 columns, written out', () => {
  const cells = (width: number) => tableLayout(width).columns.map((c) => [c.key, c.title, c.width]);
  assert.deepStrictEqual(cells(80), [
    ['name', 'NAME', 15],
    ['state', 'STATE', 15],
    ['cpu', 'CPU', 13],
    ['memory', 'MEMORY', 10],
    ['address', 'ADDRESS', 16],
    ['uptime', 'UPTIME', 9],
  ]);
  assert.equal(tableLayout(80).sparkWidth, 6);
  assert.deepStrictEqual(cells(120), [
    ['name', 'NAME', 20],
    ['os', 'OS', 7],
    ['state', 'STATE', 15],
    ['cpu', 'CPU', 31],
    ['memory', 'MEMORY', 10],
    ['disk', 'DISK', 10],
    ['address', 'ADDRESS', 16],
    ['uptime', 'UPTIME', 9],
  ]);
  assert.equal(tableLayout(120).sparkWidth, 24);
  // Too narrow even for name and state: the name gives way, never below 4.
  assert.deepStrictEqual(cells(20), [['name', 'NAME', 4], ['state', 'STATE', 15]]);
  assert.equal(tableLayout(20).sparkWidth, 0);
});

test('how the spare width is shared: the name to 20, the sparkline to 30, then the name to 40', () => {
  const widths = (width: number) => [tableLayout(width).columns.map((c) => c.width), tableLayout(width).sparkWidth];
  assert.deepStrictEqual(widths(30), [[13, 15], 0]);
  assert.deepStrictEqual(widths(34), [[17, 15], 0]);
  assert.deepStrictEqual(widths(40), [[17, 15, 6], 0]);
  assert.deepStrictEqual(widths(60), [[20, 15, 13, 10], 6]);
  assert.deepStrictEqual(widths(150), [[40, 7, 15, 37, 10, 10, 16, 9], 30]);
  assert.deepStrictEqual(widths(200), [[40, 7, 15, 37, 10, 10, 16, 9], 30]);
});
