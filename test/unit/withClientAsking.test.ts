// withClientAsking over a fake client (below the rpc boundary; the CLI's e2e tests run `list` and
// `get` against the real helper): the question goes out with initialize, and a helper that speaks
// another protocol is reported as that, whatever the question's answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withClientAsking, type CommandIO } from '../../src/commands/io.js';
import { ProtocolMismatchError } from '../../src/rpc/errors.js';
import { offlineIO } from '../helpers/commandIO.js';
import { FakeClient } from '../helpers/fakeClient.js';

/** initialize answers only when `answer` is called, as `version` says. */
class SlowInitFakeClient extends FakeClient {
  answer!: () => void;
  private readonly open = new Promise<void>((done) => (this.answer = done));
  constructor(private readonly protocolVersion: number) {
    super([]);
  }
  override async initialize() {
    this.calls.push(['initialize']);
    await this.open;
    const init = await super.initialize();
    if (this.protocolVersion !== init.protocolVersion) throw new ProtocolMismatchError('9.0.0', this.protocolVersion, init.protocolVersion);
    return init;
  }
}

const ioWith = (client: FakeClient): CommandIO => ({ ...offlineIO(process.cwd()), clientFactory: async () => client });

test('the question goes out before initialize is answered, and the body gets both answers', async () => {
  const client = new SlowInitFakeClient(1);
  const done = withClientAsking(
    ioWith(client),
    (c) => c.listVms(),
    (list, _c, init) => `${list.vms.length} VMs, protocol ${init.protocolVersion}`,
  );
  await new Promise((settle) => setImmediate(settle));
  assert.deepEqual(client.calls.map((c) => c[0]), ['initialize', 'listVms'], 'asked together');
  client.answer();
  assert.equal(await done, '0 VMs, protocol 1');
  assert.deepEqual(client.calls.at(-1), ['shutdown']);
});

test('a helper speaking another protocol is reported as that, not by its answer to the question', async () => {
  const client = new SlowInitFakeClient(2);
  let bodyRan = false;
  const done = withClientAsking(
    ioWith(client),
    (c) => c.getVm('nowhere'), // this fake fails it: there is no such VM
    () => {
      bodyRan = true;
    },
  );
  await new Promise((settle) => setImmediate(settle));
  client.answer();
  await assert.rejects(done, ProtocolMismatchError);
  assert.equal(bodyRan, false);
  assert.deepEqual(client.calls.at(-1), ['shutdown']);
});
