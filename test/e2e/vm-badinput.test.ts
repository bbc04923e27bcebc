// Bad input gets a specific error and changes nothing on disk.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { HelperRequestError } from '../../src/rpc/errors.js';
import { guestParams, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

async function rejects(p: Promise<unknown>, code: number, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof HelperRequestError, String(e));
    assert.equal(e.code, code, e.message);
    assert.match(e.message, message);
    return true;
  });
}

function vmsOnDisk(): string[] {
  const dir = join(s.home.home, 'vms');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

test('invalid names are refused with the rule, and nothing is created', async () => {
  for (const [name, why] of [
    ['../x', /^'\.\.\/x' cannot be a name; start it with a letter or digit/],
    ['', /^A name is needed;/],
    ['x'.repeat(200), /is too long for a name \(200 characters\); use at most 63/],
    ['a/b', /^'a\/b' cannot be a name; use only letters, digits, '\.', '_' and '-'/],
    ['.hidden', /^'\.hidden' cannot be a name; start it with a letter or digit/],
  ] as const) {
    await rejects(s.client.createVm(guestParams(name)), 1001, /\[A-Za-z0-9\]\[A-Za-z0-9._-\]\{0,62\}/);
    await rejects(s.client.getVm(name), 1001, why);
  }
  assert.deepEqual(vmsOnDisk().filter((n) => !n.startsWith('.')), []);
  assert.deepEqual(vmsOnDisk(), []);
});

test('memory of 0 or above the host, and too many CPUs, are refused with the limit', async () => {
  const host = await s.client.hostInfo();
  await rejects(s.client.createVm(guestParams('m0', { memoryBytes: 0 })), -32602, /memoryBytes must be at least/);
  await rejects(s.client.createVm(guestParams('mbig', { memoryBytes: host.memoryBytes + 2 ** 30 })), 1007,
    new RegExp(`limit ${host.memoryBytes}`));
  await rejects(s.client.createVm(guestParams('cpus', { cpuCount: host.cpuCores + 1 })), 1007, new RegExp(`limit ${host.cpuCores}`));
  assert.deepEqual(vmsOnDisk(), []);
});

test('a missing kernel or ISO is named in the error', async () => {
  await rejects(s.client.createVm(guestParams('nok', { boot: { kind: 'kernel', kernel: '/nonexistent/vmlinuz', cmdline: 'x' } })),
    1002, /\/nonexistent\/vmlinuz/);
  await rejects(s.client.createVm({ name: 'noiso', boot: { kind: 'efi', iso: '/nonexistent/install.iso' }, diskBytes: 2 ** 20 }),
    1002, /\/nonexistent\/install\.iso/);
  assert.deepEqual(vmsOnDisk(), []);
});

test('a corrupt config.json is reported with its path, listed as a problem, and never rewritten', async () => {
  await s.client.createVm(guestParams('bent'));
  const path = join(s.home.home, 'vms', 'bent', 'config.json');
  const broken = '{"os": "linux", "cpuCount": ';
  writeFileSync(path, broken);
  await rejects(s.client.getVm('bent'), 1006, new RegExp(`${path.replace(/[.]/g, '\\.')}.*not valid JSON`));
  await rejects(s.client.startVm('bent'), 1006, /cannot be read/);
  const list = await s.client.listVms();
  assert.deepEqual(list.vms.map((v) => v.name), []);
  assert.equal(list.problems[0]?.name, 'bent');
  assert.equal(readFileSync(path, 'utf8'), broken, 'the user file is untouched');
});

test('operations that need a running VM say it is stopped', async () => {
  await s.client.createVm(guestParams('idle'));
  await rejects(s.client.stopVm({ name: 'idle' }), 1005, /stopped/);
  await rejects(s.client.consoleAttach('idle'), 1005, /stopped/);
  await rejects(s.client.getVm('ghost'), 1002, /No VM named 'ghost'/);
});
