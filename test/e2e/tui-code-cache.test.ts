// The bundle's UI keeps V8's code cache of its UI script in vmtui's cache (src/uiScript.ts,
// src/codeCache.ts): the first start writes it, the next one uses it as it is, and a damaged one
// (which V8 itself would crash on) is refused and written again. Real bundle, real helper, a pty.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { codeCachePath, readCodeCache } from '../../src/codeCache.js';
import { tempHome } from '../helpers/home.js';
import { bundlePath, findProcess, repoRoot } from '../helpers/process.js';
import { runPtyUi } from '../helpers/ptyUi.js';
import { waitFor } from '../helpers/wait.js';

const [script] = readdirSync(join(repoRoot, 'dist/vmtui')).filter((f) => /^ui-\w+\.cjs$/.test(f));

/** Starts the UI, waits for host facts, keeps it open `openMs`, quits with q; fails on a bad exit. */
async function startAndQuit(env: NodeJS.ProcessEnv, openMs: number, whileOpen?: () => Promise<void>): Promise<void> {
  const ui = runPtyUi(env, '\u001B[?62;22c');
  await ui.seen;
  await whileOpen?.();
  await sleep(openMs);
  ui.child.stdin.write('q');
  assert.equal(await ui.exited, 0, ui.output().slice(-400));
}

test('the UI writes its code cache once it has drawn, uses it on the next start, and rewrites a damaged one', { timeout: 180_000 }, async () => {
  assert.ok(script, 'the bundle has its UI script (npm run build)');
  const home = await tempHome();
  const file = codeCachePath(home.home, script);
  try {
    // First start: no cache; it is written while the UI is open (not only as it exits).
    await startAndQuit(home.env, 0, async () => void (await waitFor(() => readCodeCache(home.home, script), 'the code cache written while the UI is open')));
    const first = statSync(file);
    const kept = readFileSync(file);

    // Second start: V8 takes the cache, so it is not written again, not even at exit.
    await startAndQuit(home.env, 1500);
    const second = statSync(file);
    assert.equal(second.mtimeMs, first.mtimeMs, 'a cache V8 took is left as it is');
    assert.deepEqual(readFileSync(file), kept);

    // A damaged cache (bytes changed inside its data, its header intact) is refused before V8 sees
    // it: the UI starts and the cache is written again, whole.
    const damaged = Buffer.from(kept);
    for (let at = 4096; at < damaged.length; at += 997) damaged.writeUInt8(damaged.readUInt8(at) ^ 0x5a, at);
    writeFileSync(file, damaged);
    assert.equal(readCodeCache(home.home, script), undefined, 'the damage is seen');
    await startAndQuit(home.env, 0);
    assert.ok(readCodeCache(home.home, script), 'a whole cache is written again');
  } finally {
    await home.remove();
  }
});

test('started by its first line, as users start it, the UI runs in Node with the flags that line gives', { timeout: 120_000 }, async () => {
  // The young generation's cap (src/bin.ts) is what keeps the TUI's memory down; a first line that
  // env could not split, or a start that bypassed it, would lose it without a sound.
  const home = await tempHome();
  try {
    const ui = runPtyUi(home.env, '\u001B[?62;22c');
    await ui.seen;
    const pid = await waitFor(() => findProcess(ui.child.pid!, bundlePath), 'the UI process');
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    assert.ok(argv.includes('--max-semi-space-size=2'), `the UI runs as: ${argv.join(' ')}`);
    ui.child.stdin.write('q');
    assert.equal(await ui.exited, 0, ui.output().slice(-400));
  } finally {
    await home.remove();
  }
});
