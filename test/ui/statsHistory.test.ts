// The stats history: ring buffers sized for the graphs, VMs that stop drop out, bad samples gap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ring } from '../../src/ui/ring.js';
import { HISTORY_SECONDS, SPARK_SECONDS, StatsHistory } from '../../src/ui/statsHistory.js';
import { hostStatsFixture, vmStatsWith } from '../helpers/uiFixtures.js';

test('a ring keeps the newest samples, oldest first, and resizes keeping the newest', () => {
  const ring = new Ring<number>(3);
  assert.deepStrictEqual(ring.toArray(), []);
  for (const n of [1, 2, 3, 4, 5]) ring.push(n);
  assert.deepStrictEqual(ring.toArray(), [3, 4, 5]);
  assert.equal(ring.size, 3);
  ring.resize(2);
  assert.deepStrictEqual(ring.toArray(), [4, 5]);
  ring.resize(4);
  ring.push(6);
  assert.deepStrictEqual(ring.toArray(), [4, 5, 6]);
  assert.equal(new Ring<number>(0).capacity, 1);
});

test('history: one sample per notification per VM, capped at the graph span', () => {
  const history = new StatsHistory();
  const capacity = history.samplesFor(HISTORY_SECONDS);
  assert.equal(capacity, 300);
  for (let i = 0; i < capacity + 20; i++) history.addVmStats(vmStatsWith({ dev: { cpuPercent: i } }));
  const dev = history.vms.get('dev');
  assert.ok(dev);
  assert.equal(dev.cpu.size, capacity);
  assert.equal(dev.cpu.toArray()[0], 20);
  assert.equal(dev.memory.toArray().at(-1), 641728512);
  // zeta's samples carry an error: they are gaps, not zeros.
  assert.ok(history.vms.get('zeta')?.cpu.toArray().every(Number.isNaN));
});

test('a VM missing from a notification is no longer running and leaves the history', () => {
  const history = new StatsHistory();
  history.addVmStats(vmStatsWith({}));
  assert.deepStrictEqual([...history.vms.keys()], ['dev', 'zeta']);
  history.addVmStats({ time: 't', vms: [] });
  assert.equal(history.vms.size, 0);
});

test('the table view: the last minute of CPU, padded with gaps at first', () => {
  const history = new StatsHistory();
  history.addVmStats(vmStatsWith({ dev: { cpuPercent: 10 } }));
  history.addVmStats(vmStatsWith({ dev: { cpuPercent: 20 } }));
  const view = history.tableView();
  assert.equal(view.dev?.cpu.length, SPARK_SECONDS);
  assert.deepStrictEqual(view.dev?.cpu.slice(-3), [undefined, 10, 20]);
  assert.equal(view.dev?.latest.cpuPercent, 20);
});

test('a longer interval means fewer samples for the same span; forgetting keeps the history', () => {
  const history = new StatsHistory();
  history.addVmStats(vmStatsWith({}));
  history.setInterval(2000);
  assert.equal(history.samplesFor(SPARK_SECONDS), 30);
  assert.equal(history.vms.get('dev')?.cpu.capacity, 150);
  history.setInterval(0); // nonsense is ignored
  assert.equal(history.intervalMs, 2000);
  history.addHostStats(hostStatsFixture);
  history.forgetLatest();
  assert.equal(history.host, undefined);
  assert.deepStrictEqual(history.tableView(), {});
  assert.equal(history.vms.get('dev')?.cpu.size, 1);
});
