// The `vmtui stats` block, from the shared protocol fixtures.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatUptime, statsBlock } from '../../src/commands/stats.js';
import { decodeHostStatsParams, decodeVMStatsParams } from '../../src/rpc/protocol.js';

const folder = new URL('../../../test/fixtures/protocol/', import.meta.url);
const params = (file: string): unknown => (JSON.parse(readFileSync(new URL(file, folder), 'utf8')) as { params: unknown }).params;

test('the stats block: host line, aligned rows, and a line for each VM that could not be sampled', () => {
  const vms = decodeVMStatsParams(params('vm-stats.notification.json'), 'params');
  const host = decodeHostStatsParams(params('host-stats.notification.json'), 'params');
  assert.equal(statsBlock({ time: host.time, host, vms: vms.vms }), [
    '2025-01-02T03:30:00.250Z  host CPU 37.5%  memory 20 GiB of 32 GiB  disk 384 GiB free of 926 GiB  macOS slots 1/2 (sonoma)',
    'NAME     STATE      CPU     HOST   RESIDENT  MEMORY   DISK      UPTIME  ADDRESS',
    'build    ● running  112.5%  11.3%  1.7 GiB   4 GiB    5G/64G    1h30m   192.168.64.7 (dhcpLeases)',
    'dev      ● running  3.4%    1.7%   192 MiB   256 MiB  1.3M/64M  1m35s   127.0.0.1:40022',
    'crashed  ✗ error    —       —      —         256 MiB  1.3M/64M  —       —',
    '  crashed: QEMU was killed by signal 9. See /home/ci/.vmtui/vms/crashed/host.log.',
  ].join('\n') + '\n');
});

test('no running VM says so', () => {
  const host = decodeHostStatsParams(params('host-stats-linux.notification.json'), 'params');
  assert.match(statsBlock({ time: host.time, host, vms: [] }), /^2025-01-02T03:30:01Z {2}host CPU 4\.0% {2}memory 3 GiB of 24 GiB {2}disk 80 GiB free of 252 GiB\nNo VM is running\.\n$/);
});

test('uptime reads short', () => {
  assert.deepStrictEqual([0, 42, 95, 3600, 7500, 90_000, 273_600].map(formatUptime), ['0s', '42s', '1m35s', '1h00m', '2h05m', '1d01h', '3d04h']);
});
