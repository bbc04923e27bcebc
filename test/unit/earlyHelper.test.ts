// The UI's early helper, over a counting fake client (below the rpc boundary; test/ui/app-early
// crosses it with the real helper).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HelperApi } from '../../src/rpc/api.js';
import { startEarlyHelper } from '../../src/rpc/earlyHelper.js';
import { FakeClient } from '../helpers/fakeClient.js';

/** Counts initialize and host/info questions; answers them when `open` resolves. */
class CountingFakeClient extends FakeClient {
  asked = { initialize: 0, hostInfo: 0 };
  constructor(private readonly open: Promise<void> = Promise.resolve()) {
    super([]);
  }
  override async initialize() {
    this.asked.initialize += 1;
    await this.open;
    return super.initialize();
  }
  override async hostInfo() {
    this.asked.hostInfo += 1;
    await this.open;
    return super.hostInfo();
  }
}

test('with both answers in, the UI takes the early client and its answers; a restart starts a new client', async () => {
  const made: CountingFakeClient[] = [];
  const early = startEarlyHelper(async () => {
    const client = new CountingFakeClient();
    made.push(client);
    return client;
  });
  const start = await early.takeReady(30_000);
  assert.ok(start, 'both answers were in');
  assert.equal(start.client, made[0]);
  assert.deepEqual(start.host, await new FakeClient([]).hostInfo());
  assert.equal(start.init.protocolVersion, 1);
  assert.deepEqual(made[0]!.asked, { initialize: 1, hostInfo: 1 }, 'asked once each, as vmtui starts');
  const next = await early.factory();
  assert.notEqual(next, made[0], 'the early client was taken: the factory starts another');
  assert.equal(made.length, 2);
  assert.equal(await early.takeReady(0), undefined, 'there is one early client only');
});

test('answers not in by the deadline: the first factory call gives the early client, whose first answers are the ones asked', async () => {
  let answer!: () => void;
  const client = new CountingFakeClient(new Promise((done) => (answer = done)));
  let starts = 0;
  const early = startEarlyHelper(async () => {
    starts += 1;
    return client;
  });
  assert.equal(await early.takeReady(20), undefined);
  const handed: HelperApi = await early.factory();
  assert.equal(handed, client);
  const init = handed.initialize();
  const host = handed.hostInfo();
  assert.deepEqual(client.asked, { initialize: 1, hostInfo: 1 }, 'the UI did not ask again');
  answer();
  assert.equal((await init).protocolVersion, 1);
  assert.ok((await host).os);
  await handed.hostInfo();
  assert.equal(client.asked.hostInfo, 2, 'a later host/info (the wizard) asks afresh');
  assert.equal(starts, 1);
});

test('a helper that cannot start: nothing is ready, and the factory says why', async () => {
  const early = startEarlyHelper(async () => {
    throw new Error('The vmtui helper at /nowhere could not be started (ENOENT).');
  });
  assert.equal(await early.takeReady(30_000), undefined);
  await assert.rejects(early.factory(), /could not be started/);
});
