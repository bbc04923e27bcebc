// `vmtui suspend`: its progress line and its place among the commands. The command against a real
// helper and guest is in test/e2e/vm-suspend.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCommand } from '../../src/commands/registry.js';
import { saveProgressLine } from '../../src/commands/vmSuspend.js';

test('the save progress says bytes written, and the total once QEMU knows it', () => {
  assert.equal(saveProgressLine('dev', 120 * 2 ** 20), "Saving the memory of VM 'dev': 120 MiB");
  assert.equal(saveProgressLine('dev', 120 * 2 ** 20, 2 * 2 ** 30), "Saving the memory of VM 'dev': 120 MiB of 2 GiB");
  assert.equal(saveProgressLine('dev', 0, 0), "Saving the memory of VM 'dev': 0 B");
});

test('suspend is a command taking the VM name, and start says it resumes a suspended VM', () => {
  const suspend = findCommand('suspend');
  assert.deepEqual(suspend?.spec.positionals, ['NAME']);
  assert.match(suspend?.spec.summary ?? '', /save its memory into its bundle and stop it\. 'vmtui start NAME' resumes it/);
  assert.match(findCommand('start')?.spec.summary ?? '', /a suspended one resumes where it was/);
});
