// The client against the real helper, spawned as vmtui spawns it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { realpathSync } from 'node:fs';
import { test } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc/node';
import { HelperGoneError } from '../../src/rpc/errors.js';
import { startHelperSession } from '../helpers/helper.js';
import { pidAlive } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';

const expectedPlatform = process.platform === 'darwin' ? 'macos' : 'linux';
const expectedArch = process.arch === 'arm64' ? 'arm64' : 'x86_64';

/** A ceiling that only a hang passes, even on a loaded 2-core machine. */
const HANG_MS = 30_000;

test('initialize reports version, protocol 1 and the methods it answers', async () => {
  const session = await startHelperSession();
  try {
    const init = await session.client.initialize();
    assert.match(init.helperVersion, /^\d+\.\d+\.\d+/);
    assert.equal(init.protocolVersion, 1);
    assert.equal(init.platform, expectedPlatform);
    assert.equal(init.arch, expectedArch);
    assert.equal(init.backend, expectedPlatform === 'macos' ? 'vz' : 'qemu');
    for (const method of ['initialize', 'shutdown', 'host/info']) assert.ok(init.capabilities.methods.includes(method), method);
    assert.deepStrictEqual(init.capabilities.methods, [...init.capabilities.methods].sort());
    if (init.backend === 'qemu') assert.equal(init.capabilities.macosGuests, false);
  } finally {
    await session.close();
  }
});

test('host/info is plausible for this machine', async () => {
  const session = await startHelperSession();
  try {
    await session.client.initialize();
    const host = await session.client.hostInfo();
    assert.ok(host.cpuCores >= 1, `cpuCores ${host.cpuCores}`);
    assert.ok(host.memoryBytes > 0, `memoryBytes ${host.memoryBytes}`);
    assert.ok(host.totalDiskBytes > 0 && host.freeDiskBytes <= host.totalDiskBytes, 'disk sizes');
    assert.equal(host.arch, expectedArch);
    assert.ok(host.chip.length > 0);
    assert.equal(realpathSync(host.vmtuiHome), realpathSync(session.home.home));
    if (expectedPlatform === 'linux') {
      assert.ok(host.virtualization.accelerator === 'kvm' || host.virtualization.accelerator === 'tcg');
      assert.equal(host.macosSlots, null);
      assert.equal(host.rosetta, 'notSupported');
    }
    assert.ok(host.virtualization.note.length > 0);
  } finally {
    await session.close();
  }
});

test('an unknown method gets -32601', async () => {
  const session = await startHelperSession();
  try {
    await session.client.initialize();
    await assert.rejects(
      session.client.process.connection.sendRequest('vm/frobnicate', { name: 'x' }),
      (error: unknown) => error instanceof ResponseError && error.code === -32601,
    );
    // The helper keeps serving after the error.
    assert.ok((await session.client.hostInfo()).cpuCores >= 1);
  } finally {
    await session.close();
  }
});

test('a helper killed mid-request rejects the pending call with a clear error', async () => {
  const session = await startHelperSession();
  try {
    await session.client.initialize();
    const { pid } = session.client;
    process.kill(pid, 'SIGSTOP'); // frozen, so the request below cannot be answered first
    const pending = session.client.hostInfo();
    process.kill(pid, 'SIGKILL');
    await assert.rejects(pending, (error: unknown) => {
      assert.ok(error instanceof HelperGoneError, String(error));
      assert.match(error.message, /was killed by SIGKILL while vmtui waited for 'host\/info'/);
      assert.ok(error.message.includes(session.client.logPath), error.message);
      return true;
    });
    // Later calls fail the same way instead of hanging.
    await assert.rejects(session.client.hostInfo(), HelperGoneError);
  } finally {
    await session.close();
  }
});

test('the helper exits by itself when its stdin closes', async () => {
  const session = await startHelperSession();
  try {
    await session.client.initialize();
    const { pid } = session.client;
    session.client.process.closeInput();
    await waitFor(() => !pidAlive(pid), `helper pid ${pid} to exit after EOF`, 5000);
    const exit = await session.client.process.exited;
    assert.equal(exit.signal, undefined);
  } finally {
    await session.close();
  }
});

test('shutdown ends the helper with status 0 and later calls fail clearly', async () => {
  const session = await startHelperSession();
  try {
    await session.client.initialize();
    // The kill fallback is put off past the ceiling below, so an exit before it is the helper's own.
    const started = Date.now();
    await session.client.shutdown({ requestTimeoutMs: HANG_MS, graceMs: HANG_MS });
    const exit = await session.client.process.exited;
    assert.deepStrictEqual(exit, { exitCode: 0, signal: undefined });
    assert.ok(Date.now() - started < HANG_MS, `the helper did not exit within ${HANG_MS} ms of shutdown and exit (a hang)`);
    assert.equal(pidAlive(session.client.pid), false);
    await assert.rejects(session.client.hostInfo(), HelperGoneError);
  } finally {
    await session.close();
  }
});

test("the helper's stderr goes to a dated log under VMTUI_HOME", async () => {
  const session = await startHelperSession();
  try {
    await session.client.initialize();
    const { logPath } = session.client;
    assert.ok(logPath.startsWith(session.home.home), logPath);
    assert.match(logPath, /logs\/helper-\d{4}-\d{2}-\d{2}\.log$/);
    assert.ok(existsSync(logPath));
    assert.match(readFileSync(logPath, 'utf8'), /starting .*vmtui-helper serve/);
  } finally {
    await session.close();
  }
});
