// Keys in a real terminal: text pasted in one write reaches vmtui in one read, and every key of it
// acts (jj moves two rows); the help pages at 80×24. tmux's paste-buffer writes the buffer at once.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import { HelperClient } from '../../src/rpc/client.js';
import { tempHome } from '../helpers/home.js';
import { withTuiPane } from '../helpers/tmuxPane.js';
import { waitFor } from '../helpers/wait.js';

test('80×24: jj pasted in one write moves two rows; the help pages with Space and closes with Esc', async () => {
  const home = await tempHome();
  try {
    const kernel = join(home.home, 'vmlinuz');
    writeFileSync(kernel, 'not really a kernel'); // nothing boots here
    const client = await HelperClient.start({ env: home.env });
    try {
      await client.initialize();
      for (const name of ['alpha', 'bravo', 'charlie']) {
        await client.createVm({ name, cpuCount: 1, memoryBytes: 256 * 2 ** 20, diskBytes: 64 * 2 ** 20, boot: { kind: 'kernel', kernel, cmdline: '' } });
      }
    } finally {
      await client.shutdown();
    }
    await withTuiPane(home, { columns: 80, rows: 24 }, async (pane) => {
      await pane.waitFor('› alpha');
      const socket = join(home.home, 'tmux.sock');
      const tmux = (...args: string[]) => execa('tmux', ['-S', socket, '-f', '/dev/null', ...args]);
      await tmux('set-buffer', 'jj');
      await tmux('paste-buffer', '-t', 'main');
      await pane.waitFor('› charlie');
      await pane.keys('?');
      const first = await pane.waitFor('more (lines 1–');
      assert.ok(first.includes('Close this help'), first);
      await pane.keys('Space');
      // The page size depends on the header's height (the host note wraps differently per machine).
      const second = await waitFor(async () => {
        const screen = await pane.capture();
        return /\(lines (?!1–)\d+–\d+ of/.test(screen) ? screen : undefined;
      }, 'the second page of the help');
      assert.ok(second.split('\n').every((l) => l.length <= 80), second);
      await pane.keys('Space', 'Space', 'Space'); // past the end: the last page stays
      const last = await pane.waitFor('back (lines');
      assert.ok(last.includes('Clone the selected VM'), last);
      await pane.keys('Escape');
      await pane.waitFor('› charlie');
      await pane.keys('q');
    });
  } finally {
    await home.remove();
  }
});
