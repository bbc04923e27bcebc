// The real TUI left open in tmux (100×24) while the CLI, from "another shell" on the same
// VMTUI_HOME, creates, starts and stops a VM: the dashboard shows each change by itself, with no
// key pressed and no restart. The ceilings only catch a change that never shows.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { execa } from 'execa';
import { cliPath } from '../helpers/process.js';
import { withTuiPane, type Pane } from '../helpers/tmuxPane.js';
import { waitFor } from '../helpers/wait.js';
import { BOOT_TIMEOUT_MS, tinyGuest, vmSession, type VmSession } from './vm-support.js';

let s: VmSession;
before(async () => { s = await vmSession(); });
after(async () => { await s.close(); });

async function cli(...args: string[]): Promise<void> {
  const r = await execa(process.execPath, [cliPath, ...args], { reject: false, env: s.home.env, stdin: 'ignore' });
  assert.equal(r.exitCode, 0, `vmtui ${args.join(' ')}: ${r.stderr}`);
}

async function screenMatching(pane: Pane, pattern: RegExp, what: string, timeoutMs = 15_000): Promise<string> {
  let last = '';
  try {
    return await waitFor(async () => {
      last = await pane.capture();
      return pattern.test(last) ? last : undefined;
    }, what, timeoutMs, 100);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nScreen:\n${last}`);
  }
}

test('an open dashboard shows a VM created, started and stopped from the CLI', async () => {
  await withTuiPane(s.home, { columns: 100, rows: 24 }, async (pane) => {
    await pane.waitFor('No VMs yet.');
    const { kernel, initrd } = tinyGuest();
    await cli('create', 'fromcli', '--kernel', kernel, '--initrd', initrd, '--memory', '256M', '--disk', '64M', '--cpus', '1');
    await screenMatching(pane, /^› fromcli +linux +○ stopped +— +—\/256M/m, 'the created VM as a stopped row');

    await cli('start', 'fromcli');
    // Running, with live figures: CPU, resident memory, the SSH forward and an uptime.
    const running = await screenMatching(pane, /^› fromcli +linux +● running +\d+% .*\/256M .*127\.0\.0\.1:\d+ +\d+s/m,
      'the started VM running with live figures', BOOT_TIMEOUT_MS);
    // The ticker, newest first: "16:57:28 fromcli ● running · 16:57:27 fromcli ◌ starting".
    assert.match(running, /fromcli ● running · \S+ fromcli ◌ starting/, 'the ticker tells both steps of the start');

    await cli('stop', 'fromcli', '--force');
    const stopped = await screenMatching(pane, /^› fromcli +linux +○ stopped +— +—\/256M +\S+ +— +—$/m, 'the stopped VM without figures');
    assert.match(stopped, /fromcli.*stopped/);
    await pane.keys('q');
    assert.equal(await waitFor(() => pane.status(), 'vmtui to exit', 10_000), 0);
  });
});
