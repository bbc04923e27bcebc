// Every shared fixture decodes into our types and re-encodes to the same JSON. Decoders keep only
// the fields they know, so a type that lacks a field fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  decodeBootConfig,
  decodeHostInfo,
  decodeRpcError,
  decodeVMInfo,
  decodeVMListResult,
} from '../../src/rpc/protocol.js';
import { allMethodCodecs as methodCodecs } from '../../src/rpc/methods.js';

interface Entry {
  file: string;
  method: string | null;
  kind: 'request' | 'result' | 'notification' | 'error';
}

const folder = new URL('../../../test/fixtures/protocol/', import.meta.url);
const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(file, folder), 'utf8'));
const index = read('index.json') as unknown as { fixtures: Entry[] };

function codecFor(entry: Entry) {
  assert.ok(entry.method, `${entry.file} names no method`);
  const codec = methodCodecs[entry.method];
  assert.ok(codec, `src/rpc/methods.ts has no codec for '${entry.method}' (${entry.file})`);
  return codec;
}

function reencode(entry: Entry, message: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { jsonrpc: message.jsonrpc };
  if (entry.kind === 'request' || entry.kind === 'notification') {
    const codec = codecFor(entry);
    assert.equal(codec.kind, entry.kind, `${entry.method} is a ${codec.kind}`);
    if (entry.kind === 'request') out.id = message.id;
    out.method = message.method;
    if (codec.params === null) assert.equal(message.params, undefined, `${entry.method} takes no params`);
    else out.params = codec.params(message.params, 'params');
  } else if (entry.kind === 'result') {
    const decode = codecFor(entry).result;
    assert.ok(decode, `${entry.method} has no result decoder`);
    out.id = message.id;
    out.result = decode(message.result, 'result');
  } else {
    out.id = message.id;
    out.error = JSON.parse(JSON.stringify(decodeRpcError(message.error, 'error')));
  }
  return JSON.parse(JSON.stringify(out));
}

for (const entry of index.fixtures) {
  test(`fixture ${entry.file} decodes and re-encodes unchanged`, () => {
    const message = read(entry.file);
    assert.equal(message.jsonrpc, '2.0');
    if (entry.method !== null && entry.kind !== 'result') assert.equal(message.method, entry.method);
    assert.deepStrictEqual(reencode(entry, message), message);
  });
}

test('every method in protocol.ts has a request (or notification) fixture', () => {
  const covered = new Set(index.fixtures.filter((e) => e.kind !== 'result' && e.kind !== 'error').map((e) => e.method));
  for (const method of Object.keys(methodCodecs)) assert.ok(covered.has(method), `no fixture for '${method}'`);
});

test('a field the decoder does not know is dropped, so a missing type field shows up as a diff', () => {
  const host = read('host-info-linux.result.json').result as Record<string, unknown>;
  const decoded = decodeHostInfo({ ...host, futureField: 1 }, 'result') as unknown as Record<string, unknown>;
  assert.equal('futureField' in decoded, false);
  assert.deepStrictEqual(decoded, host);
});

test('a wrong shape throws a sentence naming the field', () => {
  const host = read('host-info-linux.result.json').result as Record<string, unknown>;
  assert.throws(() => decodeHostInfo({ ...host, cpuCores: '2' }, 'result'), /result\.cpuCores must be a number, but it is the string "2"/);
  const { memoryBytes: _omitted, ...withoutMemory } = host;
  assert.throws(() => decodeHostInfo(withoutMemory, 'result'), /result\.memoryBytes must be a number, but it is missing/);
  assert.throws(
    () => decodeHostInfo({ ...host, virtualization: { accelerator: 'xen', hardware: true, note: '' } }, 'result'),
    /result\.virtualization\.accelerator must be one of "kvm", "tcg", "vz"/,
  );
});

test('error data is decoded per kind', () => {
  const error = read('already-running.error.json').error;
  assert.deepStrictEqual(decodeRpcError(error, 'error').data, { kind: 'alreadyRunning', pid: 4242 });
  assert.throws(() => decodeRpcError({ code: 1004, message: 'x', data: { kind: 'alreadyRunning' } }, 'error'), /error\.data\.pid/);
  assert.throws(() => decodeRpcError({ code: 1, message: 'x', data: { kind: 'nope' } }, 'error'), /error\.data\.kind must be one of/);
});

test('the VM fixtures cover every VM method, both notifications and a list problem', () => {
  const methods = new Set(index.fixtures.map((e) => e.method));
  for (const method of ['vm/list', 'vm/get', 'vm/create', 'vm/delete', 'vm/rename', 'vm/configure', 'vm/start', 'vm/stop',
    'vm/pause', 'vm/resume', 'console/attach', 'console/write', 'console/detach', 'vm/stateChanged', 'console/data']) {
    assert.ok(methods.has(method), method);
  }
  const list = decodeVMListResult(read('vm-list.result.json').result, 'result');
  assert.equal(list.problems.length, 1);
  assert.equal(list.problems[0]?.name, 'broken');
});

test('VMInfo keeps absent optionals absent, as Swift omits nil', () => {
  const info = decodeVMInfo(read('vm-get.result.json').result, 'result');
  for (const key of ['hostPid', 'vmPid', 'accelerator', 'sshAddress', 'startedAt']) assert.equal(key in info, false, key);
  assert.deepStrictEqual(info.boot, { kind: 'kernel', kernel: '/home/ci/guest/vmlinuz', cmdline: 'console=ttyS0' });
});

test('boot configs decode per kind and reject what does not fit', () => {
  assert.deepStrictEqual(decodeBootConfig({ kind: 'efi' }, 'boot'), { kind: 'efi' });
  assert.deepStrictEqual(decodeBootConfig({ kind: 'macos', iso: '/x' }, 'boot'), { kind: 'macos' });
  assert.throws(() => decodeBootConfig({ kind: 'kernel', cmdline: '' }, 'boot'), /boot\.kernel must be a string, but it is missing/);
  assert.throws(() => decodeBootConfig({ kind: 'pxe' }, 'boot'), /boot\.kind must be one of "kernel", "efi", "macos"/);
  const info = read('vm-get.result.json').result as Record<string, unknown>;
  assert.throws(() => decodeVMInfo({ ...info, state: 'exploded' }, 'result'), /result\.state must be one of "stopped"/);
});
