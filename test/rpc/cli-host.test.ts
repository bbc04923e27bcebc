// `vmtui host` end to end: the built CLI, the real helper.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execa } from 'execa';
import { decodeHostInfo } from '../../src/rpc/protocol.js';
import { tempHome } from '../helpers/home.js';
import { cliPath } from '../helpers/process.js';

test('vmtui host --json prints host/info as JSON', async () => {
  const home = await tempHome();
  try {
    const r = await execa(process.execPath, [cliPath, 'host', '--json'], { reject: false, env: home.env, stdin: 'ignore' });
    assert.equal(r.exitCode, 0, r.stderr);
    const host = decodeHostInfo(JSON.parse(r.stdout), 'stdout');
    assert.ok(host.cpuCores >= 1);
    assert.match(r.stdout, /^\{\n {2}"hostname"/); // pretty, for people reading scripts too
  } finally {
    await home.remove();
  }
});

test('vmtui host prints a short table', async () => {
  const home = await tempHome();
  try {
    const r = await execa(process.execPath, [cliPath, 'host'], { reject: false, env: home.env, stdin: 'ignore' });
    assert.equal(r.exitCode, 0, r.stderr);
    for (const label of ['Host', 'Chip', 'Cores', 'Memory', 'Backend', 'Helper']) {
      assert.match(r.stdout, new RegExp(`^${label} +\\S`, 'm'), label);
    }
    assert.match(r.stdout, /^Memory +\d+(\.\d)? GiB$/m);
  } finally {
    await home.remove();
  }
});
