// vmtui in a real terminal: an 80×24 tmux pane running the built CLI with the real helper.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { HelperClient } from '../../src/rpc/client.js';
import { tempHome } from '../helpers/home.js';
import { cliPath, repoRoot } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';

interface Pane {
  capture(options?: { escapes?: boolean }): Promise<string>;
  keys(...keys: string[]): Promise<void>;
  /** The CLI's exit status, once it has exited. */
  status(): number | undefined;
}

/** `prepare` runs before vmtui starts, with VMTUI_HOME's environment (to make VMs it will list). */
async function withPane(env: Record<string, string>, run: (pane: Pane) => Promise<void>, prepare?: (env: NodeJS.ProcessEnv) => Promise<void>): Promise<void> {
  const home = await tempHome();
  // A private server on a socket in the temp home, so the test never touches the user's tmux.
  const socket = join(home.home, 'tmux.sock');
  const statusFile = join(home.home, 'exit-status');
  const tmux = (...args: string[]) => execa('tmux', ['-S', socket, '-f', '/dev/null', ...args]);
  const vars: Record<string, string> = {
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    VMTUI_HOME: home.home,
    TERM: 'xterm-256color',
    ...env,
  };
  const exports = Object.entries(vars).map(([k, v]) => `export ${k}='${v}';`).join(' ');
  // CI makes chalk drop colors; the pane stands for a person's terminal.
  const script = `unset CI; ${exports} cd '${repoRoot}' && node '${cliPath}'; echo $? > '${statusFile}'`;
  try {
    await prepare?.(home.env);
    await tmux('new-session', '-d', '-s', 'main', '-x', '80', '-y', '24', 'sh', '-c', script);
    await run({
      capture: async (options = {}) => {
        const args = ['capture-pane', '-p', '-t', 'main', ...(options.escapes ? ['-e'] : [])];
        return (await tmux(...args)).stdout;
      },
      keys: async (...keys) => {
        await tmux('send-keys', '-t', 'main', ...keys);
      },
      status: () => (existsSync(statusFile) ? Number(readFileSync(statusFile, 'utf8').trim()) : undefined),
    });
  } finally {
    await execa('tmux', ['-S', socket, 'kill-server'], { reject: false });
    await home.remove();
  }
}

async function waitForScreen(pane: Pane, text: string, escapes = false): Promise<string> {
  let last = '';
  try {
    return await waitFor(async () => {
      last = await pane.capture({ escapes });
      return last.includes(text) ? last : undefined;
    }, `the screen to show "${text}"`, 15_000, 100);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nScreen:\n${last}`);
  }
}

test('80×24: header, help on ?, clean exit on q', async () => {
  await withPane({}, async (pane) => {
    const screen = await waitForScreen(pane, 'No VMs yet.');
    const lines = screen.split('\n');
    assert.match(lines[0] ?? '', /^vmtui 0\.1\.0 .*helper \d+\.\d+\.\d+/);
    assert.match(lines[1] ?? '', /\((x86_64|arm64)\) · \d+ cores? · \d+(\.\d)? GiB memory/);
    assert.ok(lines.some((l) => /^s start {2}x stop .*\? more keys {2}q quit/.test(l)), screen);
    await pane.keys('?');
    const help = await waitForScreen(pane, 'Show or hide this help');
    assert.ok(help.includes('q, Ctrl-C'), help);
    await pane.keys('q');
    const status = await waitFor(() => pane.status(), 'vmtui to exit', 10_000);
    assert.equal(status, 0);
  });
});

test('Ctrl-C quits with status 0', async () => {
  await withPane({}, async (pane) => {
    await waitForScreen(pane, 'No VMs yet.');
    await pane.keys('C-c');
    assert.equal(await waitFor(() => pane.status(), 'vmtui to exit', 10_000), 0);
  });
});

// Every SGR parameter that sets a foreground or background color.
function colorCodes(screen: string): string[] {
  const codes: string[] = [];
  for (const match of screen.matchAll(/\u001B\[([0-9;]*)m/g)) {
    for (const p of (match[1] ?? '').split(';')) {
      const n = Number(p);
      if ((n >= 30 && n <= 38) || (n >= 40 && n <= 48) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107)) codes.push(p);
    }
  }
  return codes;
}

test('colors by default, none with NO_COLOR', async () => {
  await withPane({}, async (pane) => {
    const screen = await waitForScreen(pane, 'No VMs yet.', true);
    assert.notDeepStrictEqual(colorCodes(screen), [], 'expected some color on a color terminal');
    await pane.keys('q');
    await waitFor(() => pane.status() !== undefined, 'vmtui to exit');
  });
  await withPane({ NO_COLOR: '1' }, async (pane) => {
    const screen = await waitForScreen(pane, 'No VMs yet.', true);
    assert.deepStrictEqual(colorCodes(screen), [], screen);
    await pane.keys('q');
    await waitFor(() => pane.status() !== undefined, 'vmtui to exit');
  });
});

/** A stopped VM named `name` (its kernel is a stand-in: nothing boots). */
function stoppedVm(name: string) {
  return async (env: NodeJS.ProcessEnv) => {
    const kernel = join(env.VMTUI_HOME ?? '', 'vmlinuz');
    writeFileSync(kernel, 'not really a kernel');
    const client = await HelperClient.start({ env });
    try {
      await client.initialize();
      await client.createVm({ name, cpuCount: 1, memoryBytes: 256 * 2 ** 20, diskBytes: 64 * 2 ** 20, boot: { kind: 'kernel', kernel, cmdline: '' } });
    } finally {
      await client.shutdown();
    }
  };
}

test('80×24: S opens the snapshots screen; a snapshot made with a note shows in the tree; C clones and the new row shows', async () => {
  await withPane({}, async (pane) => {
    await waitForScreen(pane, '› web');
    await pane.keys('S');
    await waitForScreen(pane, "VM 'web' has no snapshots yet; press n to make one.");
    await pane.keys('n');
    await waitForScreen(pane, "New snapshot of VM 'web'.");
    await pane.keys('-l', 'base');
    await pane.keys('Enter');
    await waitForScreen(pane, 'a note to remember it by');
    await pane.keys('-l', 'before upgrade');
    await pane.keys('Enter');
    let screen = await waitForScreen(pane, "Made snapshot 'base' of VM 'web'");
    assert.match(screen, /^› \* base +just now +\S+ +before upgrade$/m);
    assert.ok(screen.includes("* the snapshot the VM's disk descends from"), screen);
    assert.ok(screen.split('\n').every((l) => l.length <= 80), screen);
    await pane.keys('Escape');
    await waitForScreen(pane, 'Enter details');
    await pane.keys('C');
    screen = await waitForScreen(pane, '> web-clone█');
    await pane.keys('Enter');
    await waitForScreen(pane, "Cloned 'web' to 'web-clone'");
    // The new row comes with the list read after the answer: a round trip after the sentence.
    screen = await waitForScreen(pane, '› web-clone');
    assert.ok(screen.includes("Cloned 'web' to 'web-clone'"), screen);
    assert.match(screen, /^  web +○ stopped/m);
    assert.match(screen, /^› web-clone +○ stopped/m);
    await pane.keys('q');
    assert.equal(await waitFor(() => pane.status(), 'vmtui to exit', 10_000), 0);
  }, stoppedVm('web'));
});
