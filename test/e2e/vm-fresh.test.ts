// Freshness end to end: one helper session stays open as a dashboard would (listening and subscribed
// to stats) while a second real `vmtui-helper serve` and the CLI, on the same VMTUI_HOME, change VMs.
// Every change must reach the open session by itself; the ceilings only catch a change never told.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { execa } from 'execa';
import type { HelperClient } from '../../src/rpc/client.js';
import { vmChangedNotification, type VMChangedParams, type VMStatsParams } from '../../src/rpc/protocol.js';
import { cliPath } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';
import { BOOT_TIMEOUT_MS, ConsoleWatch, guestParams, tinyGuest, vmSession, type VmSession } from './vm-support.js';

/** Generous: a change is told within a second; this only stops a test that would hang. */
const TOLD_MS = 10_000;

let s: VmSession;
let other: HelperClient;
const states: string[] = [];
const changes: VMChangedParams[] = [];
const samples: VMStatsParams[] = [];

before(async () => {
  s = await vmSession();
  s.client.onStateChanged((p) => states.push(`${p.name} ${p.state}${p.step ? ` ${p.step}` : ''}`));
  s.client.on(vmChangedNotification, (p) => changes.push(p));
  s.client.onVmStats((p) => samples.push(p));
  await s.client.subscribeStats(1000);
  other = await s.connect();
});
after(async () => { await s.close(); });

async function cli(...args: string[]): Promise<string> {
  const r = await execa(process.execPath, [cliPath, ...args], { reject: false, env: s.home.env, stdin: 'ignore' });
  assert.equal(r.exitCode, 0, `vmtui ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const told = (line: string) => waitFor(() => states.includes(line), `the open session to be told '${line}' (told: ${states.join(', ')})`, TOLD_MS);
const changed = (name: string, change: VMChangedParams['change'], newName?: string) =>
  waitFor(() => changes.some((c) => c.name === name && c.change === change && c.newName === newName),
    `vm/changed ${change} ${name} (told: ${JSON.stringify(changes)})`, TOLD_MS);
const latestSample = (name: string) => samples.at(-1)?.vms.find((v) => v.name === name);

async function booted(client: HelperClient, name: string): Promise<void> {
  const console = await ConsoleWatch.attach(client, name);
  await console.line('VMTUI-GUEST-BOOTED', BOOT_TIMEOUT_MS);
  await client.consoleDetach(name);
  console.dispose();
}

test('a VM created and started from the CLI shows in the open session: added, starting, running, then in vm/stats', async () => {
  const { kernel, initrd } = tinyGuest();
  await cli('create', 'cli-vm', '--kernel', kernel, '--initrd', initrd, '--memory', '256M', '--disk', '64M', '--cpus', '1');
  await changed('cli-vm', 'added');
  assert.equal((await s.client.getVm('cli-vm')).state, 'stopped');

  await cli('start', 'cli-vm');
  await told('cli-vm starting');
  await told('cli-vm running');
  assert.ok(states.indexOf('cli-vm starting') < states.indexOf('cli-vm running'), states.join(', '));
  await waitFor(() => latestSample('cli-vm')?.state === 'running', 'cli-vm in vm/stats', TOLD_MS);
});

test('pause and resume by another client are told, and a paused VM\'s uptime stands still', async () => {
  await booted(other, 'cli-vm');
  await other.pauseVm('cli-vm');
  await told('cli-vm paused');
  const first = await waitFor(() => (latestSample('cli-vm')?.state === 'paused' ? samples.length : undefined), 'a paused sample', TOLD_MS);
  const uptime = latestSample('cli-vm')!.uptimeSeconds;
  await waitFor(() => samples.length >= first + 3, 'three more samples', TOLD_MS);
  assert.ok(Math.abs(latestSample('cli-vm')!.uptimeSeconds - uptime) <= 1,
    `uptime moved from ${uptime} to ${latestSample('cli-vm')!.uptimeSeconds} s while paused`);
  await other.resumeVm('cli-vm');
  await told('cli-vm running');
  assert.equal(states.filter((l) => l === 'cli-vm paused').length, 1, `each change once: ${states.join(', ')}`);
});

test('a snapshot made from the CLI and a VM made by another client are told as vm/changed', async () => {
  await cli('snapshot', 'create', 'cli-vm', 'snap1');
  await changed('cli-vm', 'updated');
  await other.createVm(guestParams('other-vm'));
  await changed('other-vm', 'added');
});

test('a stop from another client is told, and the next vm/stats leaves the VM out', async () => {
  const before = samples.length;
  await other.stopVm({ name: 'cli-vm', force: true });
  await told('cli-vm stopped');
  await waitFor(() => samples.length > before && latestSample('cli-vm') === undefined, 'a vm/stats without cli-vm', TOLD_MS);
  assert.equal((await s.client.getVm('cli-vm')).state, 'stopped');
});

test('rename, configure, clone and delete by others are told; the clone started and crashed too', async () => {
  await cli('rename', 'other-vm', 'renamed-vm');
  await changed('other-vm', 'renamed', 'renamed-vm');
  assert.equal((await s.client.getVm('renamed-vm')).name, 'renamed-vm');

  await other.configureVm({ name: 'renamed-vm', cpuCount: 1, memoryBytes: 128 * 2 ** 20 });
  await changed('renamed-vm', 'updated');
  assert.equal((await s.client.getVm('renamed-vm')).memoryBytes, 128 * 2 ** 20);

  await cli('clone', 'cli-vm', 'clone-vm');
  await changed('clone-vm', 'added');
  const started = await other.startVm('clone-vm');
  await told('clone-vm running');
  await booted(other, 'clone-vm');
  process.kill(started.vmPid!, 'SIGKILL');
  await told('clone-vm error');
  await waitFor(() => latestSample('clone-vm')?.state === 'error', 'clone-vm in error in vm/stats', TOLD_MS);

  await cli('delete', 'renamed-vm', '--yes');
  await changed('renamed-vm', 'removed');
});
