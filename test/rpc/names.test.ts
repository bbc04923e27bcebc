// The TUI checks names before it asks the helper; both must draw the line in the same place.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { HelperRequestError } from '../../src/rpc/errors.js';
import { isValidName } from '../../src/rpc/names.js';
import { startHelperSession } from '../helpers/helper.js';

const names = ['a', 'Z', '0', 'v1.2_rc-3', 'x'.repeat(63), 'x'.repeat(64), '', '.a', '-a', '_a', 'a b', 'a/b', '..', 'é', 'aé', 'a\u0000', 'a:b', 'A.'];

test("the client's name rule is the helper's, for VM and snapshot names", async () => {
  const session = await startHelperSession();
  try {
    await session.client.initialize();
    const kernel = `${session.home.home}/vmlinuz`;
    writeFileSync(kernel, 'not really a kernel'); // vm/create checks that the file exists; nothing boots here
    await session.client.createVm({ name: 'src', cpuCount: 1, memoryBytes: 64 * 2 ** 20, diskBytes: 2 ** 20, boot: { kind: 'kernel', kernel, cmdline: '' } });
    for (const name of names) {
      const helperAccepts = async (call: () => Promise<unknown>) => {
        try {
          await call();
          return true;
        } catch (error) {
          if (error instanceof HelperRequestError && error.kind === 'invalidName') return false;
          throw error;
        }
      };
      const snapshot = await helperAccepts(() => session.client.createSnapshot({ vm: 'src', name }));
      assert.equal(snapshot, isValidName(name), `snapshot name ${JSON.stringify(name)}`);
      const clone = await helperAccepts(() => session.client.cloneVm('src', name));
      assert.equal(clone, isValidName(name), `VM name ${JSON.stringify(name)}`);
    }
  } finally {
    await session.close();
  }
});
