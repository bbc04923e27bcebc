// Bundles the `vmtui` command into dist/vmtui/ so nothing is resolved in node_modules at run
// time: bin.js with the commands, and the UI (Ink, React) in a chunk loaded only for the UI.
// tsc still type-checks and builds dist/src and dist/test, which the tests run.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleOptions } from './bundleOptions.mjs';

const top = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${top}dist/vmtui`;
rmSync(outdir, { recursive: true, force: true });
await build({
  ...bundleOptions,
  entryPoints: { bin: `${top}src/bin.ts` },
  outdir,
  chunkNames: 'chunks/[name]-[hash]',
});
