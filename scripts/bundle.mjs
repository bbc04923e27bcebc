// Bundles the `vmtui` command into dist/vmtui/ so nothing is resolved in node_modules at run
// time: bin.js with the commands, and the UI (Ink, React) in a chunk loaded only for the UI.
// tsc still type-checks and builds dist/src and dist/test, which the tests run.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const top = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${top}dist/vmtui`;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { bin: `${top}src/bin.ts` },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  jsx: 'automatic',
  chunkNames: 'chunks/[name]-[hash]',
  // Ink loads its devtools bridge only when DEV=true; that package is not installed.
  external: ['react-devtools-core'],
  // CommonJS dependencies (vscode-jsonrpc) call require() for Node's own modules.
  banner: { js: "import { createRequire as __vmtuiRequire } from 'node:module'; const require = __vmtuiRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
