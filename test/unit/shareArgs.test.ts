// `--share HOSTPATH[:TAG][:ro]`, `--unshare`, `--rosetta`, `--nested`, `--keyboard` into vm/create and
// vm/configure params, and how shares and features read in `vmtui get` and one-line messages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from '../../src/commands/args.js';
import type { CommandIO } from '../../src/commands/io.js';
import { parseShare } from '../../src/commands/shares.js';
import { configureCommand, configureParams, createCommand, createParams } from '../../src/commands/vmChange.js';
import { vmDetails } from '../../src/commands/vmQuery.js';
import { featureRows, featureSummary } from '../../src/format/shares.js';
import { UsageError } from '../../src/format/usageError.js';
import type { VMInfo } from '../../src/rpc/protocol.js';

const io = { cwd: '/home/me', stdout: process.stdout, stderr: process.stderr, stdin: { isTTY: false } } as unknown as CommandIO;
const usage = (pattern: RegExp) => (e: unknown) => e instanceof UsageError && pattern.test(e.message);

test('a share is a path, then an optional tag, then an optional :ro (or :rw); relative paths from the cwd', () => {
  assert.deepStrictEqual(parseShare('src', '/home/me'), { path: '/home/me/src' });
  assert.deepStrictEqual(parseShare('/srv/data:data', '/x'), { path: '/srv/data', tag: 'data' });
  assert.deepStrictEqual(parseShare('/srv/data:data:ro', '/x'), { path: '/srv/data', tag: 'data', readOnly: true });
  assert.deepStrictEqual(parseShare('/srv/data:ro', '/x'), { path: '/srv/data', readOnly: true });
  assert.deepStrictEqual(parseShare('/srv/data:rw', '/x'), { path: '/srv/data' });
  assert.throws(() => parseShare('/srv/data:bad tag', '/x'), usage(/tag 'bad tag'/));
  assert.throws(() => parseShare(':data', '/x'), usage(/names no folder/));
});

test('create: every --share, --rosetta, --nested and --keyboard reach vm/create', () => {
  const args = parseArgs(createCommand.spec, ['dev', '--image', 'https://example.org/d.raw', '--share', 'a', '--share', '/b:bee:ro', '--rosetta', '--nested', '--keyboard', 'usb']);
  const params = createParams(args, io);
  assert.deepStrictEqual(params.shares, [{ path: '/home/me/a' }, { path: '/b', tag: 'bee', readOnly: true }]);
  assert.equal(params.rosetta, true);
  assert.equal(params.nestedVirtualization, true);
  assert.equal(params.keyboard, 'usb');
  assert.throws(() => createParams(parseArgs(createCommand.spec, ['dev', '--image', 'https://example.org/d.raw', '--keyboard', 'iso']), io), usage(/--keyboard mac or --keyboard usb/));
});

test('configure: --share adds, --unshare removes, --no-rosetta and --no-nested turn off, and each counts as a change', () => {
  const p = configureParams(parseArgs(configureCommand.spec, ['dev', '--share', '/c', '--unshare', 'a', '--unshare', 'b', '--no-rosetta', '--nested']), io);
  assert.deepStrictEqual(p, { name: 'dev', addShares: [{ path: '/c' }], removeShares: ['a', 'b'], rosetta: false, nestedVirtualization: true });
  assert.deepStrictEqual(configureParams(parseArgs(configureCommand.spec, ['dev', '--unshare', 'x']), io), { name: 'dev', removeShares: ['x'] });
  assert.throws(() => configureParams(parseArgs(configureCommand.spec, ['dev', '--nested', '--no-nested']), io), usage(/not both/));
  assert.throws(() => configureParams(parseArgs(configureCommand.spec, ['dev']), io), usage(/--share, --unshare, --rosetta/));
});

const vm: VMInfo = {
  name: 'dev', state: 'stopped', os: 'linux', arch: 'x86_64', cpuCount: 1, memoryBytes: 2 ** 30, diskBytes: 2 ** 30,
  diskAllocatedBytes: 0, macAddress: '02:00:00:00:00:01', boot: { kind: 'efi' }, createdAt: '2026-01-01T00:00:00Z',
  shares: [{ tag: 'src', path: '/home/me/src', readOnly: false }, { tag: 'data', path: '/srv/data', readOnly: true }],
  sharing: { transport: '9p', note: 'Shared folders go through 9p, because virtiofsd is not installed on this host.' },
  nestedVirtualization: true,
};

test('vmtui get and the messages show shares (tag → path, read-only), how they travel, and the features set', () => {
  assert.deepStrictEqual(featureRows(vm), [
    ['Shares', 'src → /home/me/src'],
    ['', 'data → /srv/data (read-only)'],
    ['Sharing', 'Shared folders go through 9p, because virtiofsd is not installed on this host.'],
    ['Nested', 'on (the guest can run VMs of its own)'],
  ]);
  assert.match(vmDetails(vm), /^Shares +src → \/home\/me\/src\n +data → \/srv\/data \(read-only\)\nSharing +Shared folders go through 9p/m);
  assert.equal(featureSummary(vm), '; shares src, data (read-only); nested virtualization');
  const plain: VMInfo = { ...vm, shares: undefined, sharing: undefined, nestedVirtualization: undefined };
  assert.deepStrictEqual(featureRows(plain), []);
  assert.equal(featureSummary(plain), '');
  assert.deepStrictEqual(featureRows({ ...plain, os: 'macos', keyboard: 'mac', rosetta: true }), [
    ['Rosetta', 'on (x86-64 Linux programs run through Rosetta)'],
    ['Keyboard', 'Mac keyboard'],
  ]);
});
