// Bundles the `vmtui` command into dist/vmtui/ so nothing is resolved in node_modules at run
// time: bin.js with the commands, the UI (Ink, React) in a chunk loaded only for the UI, and the
// same UI as one classic script (ui-<hash>.cjs) with yoga beside it (yoga.js), which is what bin.js
// runs in a terminal (src/uiScript.ts says why).
// tsc still type-checks and builds dist/src and dist/test, which the tests run.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOptions, uiScriptOptions } from './bundleOptions.mjs';

const top = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${top}dist/vmtui`;
rmSync(outdir, { recursive: true, force: true });
// The script's name carries a hash of its text: its code cache is kept under that name.
const script = await build({
  ...uiScriptOptions,
  entryPoints: { ui: `${top}src/uiEntry.ts` },
  entryNames: '[name]-[hash]',
  outdir,
  metafile: true,
});
const [scriptFile] = Object.keys(script.metafile.outputs);
// V8 keeps a script's text as long as its functions live, in one byte a character only if every
// character is ASCII: one other doubles it (1.3 MB more, for as long as the UI runs).
const wide = readFileSync(scriptFile, 'utf8').split('\n').findIndex((line) => /[^\x00-\x7f]/.test(line));
if (wide >= 0) throw new Error(`${scriptFile}:${wide + 1} has a character past ASCII; write it as a \\u escape in its source (or in the patch in scripts/ that made it).`);
await build({
  ...bundleOptions,
  entryPoints: { bin: `${top}src/bin.ts`, yoga: `${top}node_modules/yoga-layout/dist/src/index.js` },
  define: { ...bundleOptions.define, VMTUI_UI_SCRIPT: JSON.stringify(basename(scriptFile)) },
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
});
