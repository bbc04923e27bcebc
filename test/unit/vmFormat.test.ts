// How VMs read in the CLI's table and detail block, from the shared fixtures.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { problemLines, vmDetails, vmListTable } from '../../src/commands/vmQuery.js';
import { VM_STATES, decodeVMInfo, decodeVMListResult } from '../../src/rpc/protocol.js';
import { formatBytes, formatCompact, sshAdvice, stateLabel, stateSymbol, vmCells } from '../../src/format/vm.js';

const fixture = (file: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/protocol/${file}`, import.meta.url), 'utf8')).result;
const list = decodeVMListResult(fixture('vm-list.result.json'), 'result');
const errored = decodeVMInfo(fixture('vm-get.result.json'), 'result');

test('byte sizes read naturally', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(512 * 1024 ** 2), '512 MiB');
  assert.equal(formatBytes(2 * 1024 ** 3), '2 GiB');
  assert.equal(formatBytes(1.5 * 1024 ** 3), '1.5 GiB');
  assert.equal(formatBytes(1310720), '1.3 MiB');
  assert.equal(formatCompact(0), '0');
  assert.equal(formatCompact(1310720), '1.3M');
  assert.equal(formatCompact(16 * 1024 ** 3), '16G');
  assert.equal(formatCompact(20.4 * 1024 ** 3), '20G');
});

test('every state has a one-character symbol', () => {
  for (const state of VM_STATES) assert.equal([...stateSymbol(state)].length, 1, state);
  assert.equal(stateLabel('running'), '● running');
  assert.equal(stateLabel('stopped'), '○ stopped');
  assert.equal(stateLabel('running', 'stopping'), '◌ stopping…');
});

test('ssh advice uses the forwarded port', () => {
  assert.equal(sshAdvice('127.0.0.1:40022'), 'ssh -p 40022 user@127.0.0.1');
  assert.equal(sshAdvice('10.0.0.5'), 'ssh user@10.0.0.5');
});

test('vm cells', () => {
  const [dev] = list.vms;
  assert.ok(dev);
  assert.deepStrictEqual(vmCells(dev), {
    name: 'dev',
    state: '● running',
    cpus: '2',
    memory: '2 GiB',
    disk: '1.3M/16G',
    address: '127.0.0.1:40022',
  });
});

test('the list table is compact and lines up', () => {
  assert.equal(
    vmListTable(list.vms),
    [
      'NAME       STATE      CPUS  MEMORY  DISK      ADDRESS',
      'dev        ● running  2     2 GiB   1.3M/16G  127.0.0.1:40022',
      'installer  ○ stopped  4     4 GiB   0/20G     —',
      '',
    ].join('\n'),
  );
  assert.match(vmListTable([]), /^No VMs yet; create one with 'vmtui create NAME --kernel PATH'/);
  assert.match(problemLines(list), /^vmtui: VM 'broken' cannot be listed: The configuration of VM 'broken' cannot be read/);
});

test('the detail block names the error and the boot', () => {
  const text = vmDetails(errored);
  assert.match(text, /^State +✗ error$/m);
  assert.match(text, /^Reason +QEMU was killed by signal 9\./m);
  assert.match(text, /^Boot +kernel \/home\/ci\/guest\/vmlinuz \(console=ttyS0\)$/m);
  assert.doesNotMatch(text, /^SSH/m);
  const running = vmDetails(list.vms[0] ?? errored);
  assert.match(running, /^SSH +ssh -p 40022 user@127\.0\.0\.1/m);
  assert.match(running, /^Host pid +5151 \(guest process 5160, accelerator tcg\)$/m);
});

test('a host that does not answer reads "not answering (pid N)" in the list and the detail block', () => {
  const stuck = decodeVMInfo(fixture('vm-get-not-answering.result.json'), 'result');
  assert.equal(stuck.state, 'notAnswering');
  assert.equal(vmCells(stuck).state, '✗ not answering (pid 4242)');
  assert.match(vmListTable([stuck]), /✗ not answering \(pid 4242\)/);
  const details = vmDetails(stuck);
  assert.match(details, /State\s+✗ not answering \(pid 4242\)/);
  assert.match(details, /Reason\s+not answering \(pid 4242\): .*vmtui stop dev --force/);
  // A pending action still reads as the action.
  assert.equal(vmCells(stuck, 'stopping').state, '◌ stopping…');
});
