// stats/subscribe against the real helper: host/stats values, the interval rule, unsubscribing,
// two clients at once. (Running guests are in test/e2e/vm-stats.test.ts.)
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { HelperClient } from '../../src/rpc/client.js';
import type { HostStatsParams, VMStatsParams } from '../../src/rpc/protocol.js';
import { startHelperSession } from '../helpers/helper.js';
import { waitFor } from '../helpers/wait.js';

const isLinux = process.platform === 'linux';

/** Every vm/stats and host/stats a client receives. */
function record(client: HelperClient) {
  const seen = { vms: [] as VMStatsParams[], hosts: [] as HostStatsParams[] };
  client.onVmStats((p) => seen.vms.push(p));
  client.onHostStats((p) => seen.hosts.push(p));
  return seen;
}

/** Lets a few 250 ms intervals pass, then proves the connection still answers. */
async function quietSpell(client: HelperClient): Promise<void> {
  await new Promise((done) => setTimeout(done, 1000));
  await client.hostInfo();
}

test('subscribe clamps the interval, and host/stats arrives with values that fit this host', async () => {
  const session = await startHelperSession();
  try {
    const init = await session.client.initialize();
    for (const method of ['stats/subscribe', 'stats/unsubscribe']) assert.ok(init.capabilities.methods.includes(method), method);
    const info = await session.client.hostInfo();
    assert.ok(info.memoryUsedBytes > 0 && info.memoryUsedBytes <= info.memoryBytes, `memoryUsedBytes ${info.memoryUsedBytes}`);
    const seen = record(session.client);

    assert.equal(await session.client.subscribeStats(10), 250);
    await waitFor(() => seen.hosts.length >= 2, 'two host/stats notifications');
    for (const h of seen.hosts) {
      assert.ok(h.cpuPercent >= 0 && h.cpuPercent <= 100, `cpuPercent ${h.cpuPercent}`);
      assert.equal(h.memoryTotalBytes, info.memoryBytes);
      assert.ok(h.memoryUsedBytes > 0 && h.memoryUsedBytes <= h.memoryTotalBytes, `memoryUsedBytes ${h.memoryUsedBytes}`);
      assert.equal(h.totalDiskBytes, info.totalDiskBytes);
      assert.ok(h.freeDiskBytes > 0 && h.freeDiskBytes <= h.totalDiskBytes, `freeDiskBytes ${h.freeDiskBytes}`);
      assert.ok(!Number.isNaN(Date.parse(h.time)), h.time);
      if (isLinux) assert.equal(h.macosSlots, null);
    }
    // Each interval brings one vm/stats with the same time as its host/stats; no VM runs here.
    const vm = await waitFor(() => seen.vms.find((v) => v.time === seen.hosts[0]?.time), 'the vm/stats of the first interval');
    assert.deepStrictEqual(vm.vms, []);

    assert.equal(await session.client.subscribeStats(60_000), 10_000);
    assert.equal(await session.client.subscribeStats(1000), 1000);
  } finally {
    await session.close();
  }
});

test('stopped VMs are left out; one whose host ended in error is listed with the reason', async () => {
  const session = await startHelperSession();
  try {
    await session.client.initialize();
    const kernel = join(session.home.home, 'vmlinuz');
    writeFileSync(kernel, 'not booted by this test');
    const boot = { kind: 'kernel' as const, kernel, cmdline: 'console=ttyS0' };
    await session.client.createVm({ name: 'idle', cpuCount: 1, memoryBytes: 64 * 2 ** 20, diskBytes: 2 ** 20, boot });
    const broken = await session.client.createVm({ name: 'broken', cpuCount: 1, memoryBytes: 128 * 2 ** 20, diskBytes: 2 ** 20, boot });
    // What a host writes when its qemu dies (events.jsonl), without booting anything.
    appendFileSync(join(session.home.home, 'vms', 'broken', 'events.jsonl'),
      JSON.stringify({ time: new Date().toISOString(), state: 'error', reason: 'QEMU was killed by signal 9.' }) + '\n');
    const seen = record(session.client);
    await session.client.subscribeStats(250);
    const params = await waitFor(() => seen.vms[0], 'a vm/stats notification');
    assert.deepStrictEqual(params.vms, [{
      name: 'broken', state: 'error', cpuPercent: 0, hostCpuPercent: 0, residentBytes: 0,
      memoryBytes: broken.memoryBytes, diskAllocatedBytes: broken.diskAllocatedBytes, diskBytes: broken.diskBytes,
      uptimeSeconds: 0, error: 'QEMU was killed by signal 9.',
    }]);
  } finally {
    await session.close();
  }
});

test('after unsubscribe no more notifications come', async () => {
  const session = await startHelperSession();
  try {
    await session.client.initialize();
    const seen = record(session.client);
    await session.client.subscribeStats(250);
    await waitFor(() => seen.hosts.length >= 1, 'a host/stats notification');
    await session.client.unsubscribeStats();
    const counts = [seen.vms.length, seen.hosts.length];
    await quietSpell(session.client);
    assert.deepStrictEqual([seen.vms.length, seen.hosts.length], counts);
    // Unsubscribing twice is harmless; subscribing again starts afresh.
    await session.client.unsubscribeStats();
    await session.client.subscribeStats(250);
    await waitFor(() => seen.hosts.length > counts[1]!, 'host/stats after subscribing again');
  } finally {
    await session.close();
  }
});

test('two clients subscribe at their own intervals; one leaving does not stop the other', async () => {
  const first = await startHelperSession();
  const second = await HelperClient.start({ env: first.home.env });
  try {
    await first.client.initialize();
    await second.initialize();
    const a = record(first.client);
    const b = record(second);
    assert.equal(await first.client.subscribeStats(250), 250);
    assert.equal(await second.subscribeStats(500), 500);
    await waitFor(() => a.hosts.length >= 2 && b.hosts.length >= 2, 'host/stats on both clients');

    await first.client.unsubscribeStats();
    const aCount = a.hosts.length;
    const bCount = b.hosts.length;
    await waitFor(() => b.hosts.length >= bCount + 2, 'the second client to keep receiving');
    assert.equal(a.hosts.length, aCount, 'the first client unsubscribed but still receives');
  } finally {
    await second.shutdown({ requestTimeoutMs: 2000, graceMs: 2000 });
    await first.close();
  }
});
