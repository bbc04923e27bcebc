#!/usr/bin/env -S node --max-semi-space-size=2
// The `vmtui` command. Checks the Node version before loading anything that needs Node 22+, so an
// old Node gets a sentence instead of a stack trace from deep inside a dependency. Loads as little
// as it can: `--version` reads nothing else, commands never load the UI (see cli.ts, tui.tsx).
//
// The first line caps V8's young generation at 2 MiB a half: by default V8 grew it to 16-64 MiB
// under the TUI's 1 Hz redraws, all of it resident; at 50 VMs this took 6-10 MiB off without
// costing CPU (scripts/bench/tui-render.ts). A 1 MiB cap saved no more and cost the first frame
// 9 ms. V8 flags that change the code V8 makes would take 8 MiB more off (--single-threaded,
// --optimize-for-size) but cost 11 ms of every start: Node's code cache of its own modules is
// refused under them.
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VMTUI_VERSION } from './version.js';

/** The bundle's UI script, named by scripts/bundle.mjs as it builds; unbundled there is none. */
declare const VMTUI_UI_SCRIPT: string | undefined;

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `vmtui: it needs Node.js 22 or newer, and this is ${process.version}. Run it with 'bash scripts/vmtui.sh' (which installs Node 24 for vmtui), or install a newer Node.\n`,
  );
  process.exit(1);
}
// A reader that goes away (`vmtui list --json | head`) is not an error: vmtui stops quietly, as
// `ls | head` does, instead of printing Node's EPIPE stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const first = process.argv[2];
if (first === '--version' || first === '-V') {
  process.stdout.write(`vmtui ${VMTUI_VERSION}\n`);
} else {
  // Compiled code is kept between runs in vmtui's cache (or NODE_COMPILE_CACHE's folder), never
  // elsewhere: vmtui writes only to VM bundles and its cache.
  const home = process.env.VMTUI_HOME || join(homedir(), '.vmtui');
  enableCompileCache?.(process.env.NODE_COMPILE_CACHE || join(home, 'cache', 'node-compile'));
  // React's development build checks every render; users run the production one (the bundle has
  // only that one; dist/src/bin.js follows NODE_ENV). Not `process.env.NODE_ENV`: the bundler
  // replaces that expression with "production".
  const env = process.env;
  env.NODE_ENV ??= 'production';
  if (first === undefined && process.stdin.isTTY && process.stdout.isTTY) {
    // The UI needs none of the commands. The bundle runs it from its UI script with V8's code cache
    // (uiScript.ts); unbundled (dist/src), it loads as modules.
    if (typeof VMTUI_UI_SCRIPT === 'string') await (await import('./uiScript.js')).runUiScript(new URL('.', import.meta.url), VMTUI_UI_SCRIPT, home);
    else await (await import('./uiEntry.js')).startUiEarly();
  } else {
    // Every command talks to the helper: it starts now, while the rest loads (help does not).
    const help = process.argv.slice(2).some((a) => a === '--help' || a === '-h') || first === 'help';
    if (!help && first !== undefined) (await import('./rpc/helperSpawn.js')).spawnEarlyHelper();
    await import('./cli.js');
  }
}
