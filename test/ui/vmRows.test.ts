// Row cells, sorting and filtering from fixture VMs and stats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VMInfo } from '../../src/rpc/protocol.js';
import { formatPercent, formatUptime } from '../../src/format/text.js';
import { DEFAULT_SORT, filterRows, nextSort, reverseSort, rowCells, sortRows, type VmRow } from '../../src/ui/vmRows.js';
import { sampleOf, threeVms } from '../helpers/uiFixtures.js';

const [dev, installer, zeta] = threeVms() as [VMInfo, VMInfo, VMInfo];
const minute = (value: number) => Array.from({ length: 60 }, () => value);
const rows = (): VmRow[] => [
  { vm: installer },
  { vm: zeta, stats: { latest: sampleOf('zeta'), cpu: minute(0) } },
  { vm: dev, stats: { latest: sampleOf('dev'), cpu: minute(68.4) } },
];
const names = (list: VmRow[]) => list.map((r) => r.vm.name);

test('uptime and percent read short', () => {
  assert.equal(formatUptime(45), '45s');
  assert.equal(formatUptime(725), '12m 05s');
  assert.equal(formatUptime(3725), '1h 02m');
  assert.equal(formatUptime(2 * 86_400 + 3 * 3600 + 59), '2d 03h');
  assert.equal(formatUptime(-1), '—');
  assert.equal(formatUptime(Number.NaN), '—');
  assert.equal(formatPercent(34.2), '34%');
  assert.equal(formatPercent(-3), '0%');
  assert.equal(formatPercent(Number.POSITIVE_INFINITY), '—');
  assert.equal(formatPercent(123_456), '9999%');
});

test('cells from VMInfo and the newest sample', () => {
  const [, zetaRow, devRow] = rows() as [VmRow, VmRow, VmRow];
  assert.deepStrictEqual(rowCells(devRow, 4), {
    name: 'dev',
    os: 'linux',
    state: '● running',
    // 68.4 % of one core on a 2-vCPU VM is a third of its height.
    cpu: '  34% ▃▃▃▃',
    memory: '612M/2G',
    disk: '1.3M/16G',
    address: '127.0.0.1:40022',
    uptime: '1h 02m',
  });
  assert.equal(rowCells(devRow, 0).cpu, '  34%');
  // A VM that could not be sampled says so in the CPU cell; its memory use is unknown.
  assert.equal(rowCells(zetaRow, 3).cpu, '    ! ▁▁▁');
  assert.equal(rowCells(zetaRow, 3).memory, '—/2G');
  // No stats at all: dashes, and what VMInfo knows.
  assert.deepStrictEqual(rowCells({ vm: installer, pending: 'starting' }, 6), {
    name: 'installer',
    os: 'linux',
    state: '◌ starting…',
    cpu: '—',
    memory: '—/4G',
    disk: '0/20G',
    address: '—',
    uptime: '—',
  });
});

test('the address falls back from the SSH forward to the IP the host found, then to VMInfo', () => {
  const vzSample = { ...sampleOf('dev'), address: { ip: '192.168.64.7', source: 'dhcpLeases' as const, ageSeconds: 3 } };
  delete (vzSample as { sshAddress?: string }).sshAddress;
  const { sshAddress: _gone, ...vzVm } = dev;
  assert.equal(rowCells({ vm: vzVm, stats: { latest: vzSample, cpu: [] } }, 0).address, '192.168.64.7');
  assert.equal(rowCells({ vm: dev }, 0).address, '127.0.0.1:40022');
});

test('sorting: by name by default, figures biggest first, rows without figures last either way', () => {
  assert.deepStrictEqual(names(sortRows(rows(), DEFAULT_SORT)), ['dev', 'installer', 'zeta']);
  assert.deepStrictEqual(names(sortRows(rows(), reverseSort(DEFAULT_SORT))), ['zeta', 'installer', 'dev']);
  assert.deepStrictEqual(names(sortRows(rows(), { key: 'cpu', descending: true })), ['dev', 'installer', 'zeta']);
  assert.deepStrictEqual(names(sortRows(rows(), { key: 'cpu', descending: false })), ['dev', 'installer', 'zeta']);
  assert.deepStrictEqual(names(sortRows(rows(), { key: 'state', descending: false })), ['dev', 'zeta', 'installer']);
  assert.deepStrictEqual(names(sortRows(rows(), { key: 'disk', descending: true })), ['dev', 'zeta', 'installer']);
  assert.deepStrictEqual(names(sortRows(rows(), { key: 'uptime', descending: true })), ['dev', 'zeta', 'installer']);
  // NaN figures sort as missing, not as numbers.
  const bad = rows().map((r) => (r.stats ? { ...r, stats: { ...r.stats, latest: { ...r.stats.latest, cpuPercent: Number.NaN } } } : r));
  assert.deepStrictEqual(names(sortRows(bad, { key: 'cpu', descending: true })), ['dev', 'installer', 'zeta']);
});

test('o cycles through the shown columns in their natural direction; O reverses', () => {
  const shown = ['name', 'state', 'cpu', 'memory'] as const;
  let order = DEFAULT_SORT;
  const seen: string[] = [];
  for (let i = 0; i < 5; i++) {
    order = nextSort(order, shown);
    seen.push(`${order.key}${order.descending ? '↓' : '↑'}`);
  }
  assert.deepStrictEqual(seen, ['state↑', 'cpu↓', 'memory↓', 'name↑', 'state↑']);
  // A sort column that is no longer shown (the terminal narrowed) moves on to the first shown.
  assert.deepStrictEqual(nextSort({ key: 'disk', descending: true }, shown), { key: 'name', descending: false });
  assert.deepStrictEqual(reverseSort({ key: 'cpu', descending: true }), { key: 'cpu', descending: false });
});

test('the filter matches name, OS, state or address, in any case', () => {
  assert.deepStrictEqual(names(filterRows(rows(), 'DE')), ['dev']);
  assert.deepStrictEqual(names(filterRows(rows(), 'paused')), ['zeta']);
  assert.deepStrictEqual(names(filterRows(rows(), 'linux')), ['installer', 'zeta', 'dev']);
  assert.deepStrictEqual(names(filterRows(rows(), '40023')), ['zeta']);
  assert.deepStrictEqual(names(filterRows(rows(), '  ')), ['installer', 'zeta', 'dev']);
  assert.deepStrictEqual(names(filterRows(rows(), 'nothing')), []);
});
