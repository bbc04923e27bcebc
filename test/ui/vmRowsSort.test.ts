// Every sort column, both ways, written out: on VMs whose figures order differently per column, so
// sorting by the wrong figure (configured memory for memory in use, say) gives another order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VMInfo } from '../../src/rpc/protocol.js';
import { nextSort, sortRows, type VmRow } from '../../src/ui/vmRows.js';
import { sampleOf, threeVms } from '../helpers/uiFixtures.js';

const [dev] = threeVms() as [VMInfo];
const names = (list: VmRow[]) => list.map((r) => r.vm.name);

test('every sort column, both ways, on VMs whose figures order differently per column', () => {
  const GiB = 1024 ** 3;
  const MiB = 1024 ** 2;
  const vm = (name: string, patch: Partial<VMInfo>): VMInfo => ({ ...dev, name, ...patch });
  const stats = (name: string, patch: Partial<ReturnType<typeof sampleOf>>) => ({ latest: { ...sampleOf('dev'), name, ...patch }, cpu: [] });
  // Configured memory orders these the other way round from the memory in use.
  const set: VmRow[] = [
    { vm: vm('charlie', { os: 'linux', state: 'running', memoryBytes: 4 * GiB }), stats: stats('charlie', { cpuPercent: 90, residentBytes: 500 * MiB, diskAllocatedBytes: 2 * GiB, uptimeSeconds: 60, sshAddress: '127.0.0.1:40025' }) },
    { vm: vm('alpha', { os: 'macos', state: 'running', memoryBytes: 1 * GiB }), stats: stats('alpha', { cpuPercent: 50, residentBytes: 900 * MiB, diskAllocatedBytes: 3 * GiB, uptimeSeconds: 500, sshAddress: '127.0.0.1:40029' }) },
    { vm: vm('delta', { os: 'linux', state: 'stopped', memoryBytes: 16 * GiB, diskAllocatedBytes: 500 * MiB, sshAddress: undefined }) },
    { vm: vm('bravo', { os: 'linux', state: 'paused', memoryBytes: 8 * GiB }), stats: stats('bravo', { cpuPercent: 10, residentBytes: 100 * MiB, diskAllocatedBytes: 1 * GiB, uptimeSeconds: 9000, sshAddress: '127.0.0.1:40021' }) },
  ];
  const sorted = (key: Parameters<typeof sortRows>[1]['key'], descending: boolean) => names(sortRows(set, { key, descending }));
  assert.deepStrictEqual(sorted('name', false), ['alpha', 'bravo', 'charlie', 'delta']);
  assert.deepStrictEqual(sorted('name', true), ['delta', 'charlie', 'bravo', 'alpha']);
  assert.deepStrictEqual(sorted('os', false), ['bravo', 'charlie', 'delta', 'alpha']);
  assert.deepStrictEqual(sorted('os', true), ['alpha', 'bravo', 'charlie', 'delta']);
  assert.deepStrictEqual(sorted('state', false), ['alpha', 'charlie', 'bravo', 'delta']);
  assert.deepStrictEqual(sorted('state', true), ['delta', 'bravo', 'alpha', 'charlie']);
  assert.deepStrictEqual(sorted('cpu', true), ['charlie', 'alpha', 'bravo', 'delta']);
  assert.deepStrictEqual(sorted('cpu', false), ['bravo', 'alpha', 'charlie', 'delta']);
  assert.deepStrictEqual(sorted('memory', true), ['alpha', 'charlie', 'bravo', 'delta']);
  assert.deepStrictEqual(sorted('memory', false), ['bravo', 'charlie', 'alpha', 'delta']);
  assert.deepStrictEqual(sorted('disk', true), ['alpha', 'charlie', 'bravo', 'delta']);
  assert.deepStrictEqual(sorted('disk', false), ['delta', 'bravo', 'charlie', 'alpha']);
  assert.deepStrictEqual(sorted('address', false), ['bravo', 'charlie', 'alpha', 'delta']);
  assert.deepStrictEqual(sorted('address', true), ['alpha', 'charlie', 'bravo', 'delta']);
  assert.deepStrictEqual(sorted('uptime', true), ['bravo', 'alpha', 'charlie', 'delta']);
  assert.deepStrictEqual(sorted('uptime', false), ['charlie', 'alpha', 'bravo', 'delta']);
  // Figures start biggest first, words from A.
  const starts = (['name', 'os', 'state', 'cpu', 'memory', 'disk', 'address', 'uptime'] as const).map(
    (key) => `${key}${nextSort({ key: 'name', descending: false }, ['name', key]).descending ? '↓' : '↑'}`,
  );
  assert.deepStrictEqual(starts, ['name↑', 'os↑', 'state↑', 'cpu↓', 'memory↓', 'disk↓', 'address↑', 'uptime↓']);
});

test('uptime at each unit boundary, and the sort mark', async () => {
  const { sortMark } = await import('../../src/ui/vmRows.js');
  const { formatUptime } = await import('../../src/format/text.js');
  const table: Array<[number, string]> = [
    [0, '0s'],
    [59.9, '59s'],
    [60, '1m 00s'],
    [3599, '59m 59s'],
    [3600, '1h 00m'],
    [86_399, '23h 59m'],
    [86_400, '1d 00h'],
  ];
  for (const [seconds, shown] of table) assert.equal(formatUptime(seconds), shown, String(seconds));
  assert.equal(sortMark({ key: 'name', descending: false }), '▲');
  assert.equal(sortMark({ key: 'name', descending: true }), '▼');
});
