// The esbuild options and plugins of vmtui's bundle: each plugin patches one dependency and fails
// the build if the text it patches is gone.
import { readFileSync } from 'node:fs';
import { sharedBlank } from './bundleInkGrid.mjs';
import { narrowStringWidth, narrowText } from './bundleNarrow.mjs';

/**
 * Yoga (Ink's layout engine) loads its WebAssembly from a data: URL with fetch() when fetch
 * exists, which makes Node load its whole HTTP client (about 40 ms); decoded in place it is the
 * same bytes. The check is replaced, and the build fails if yoga's loader no longer has it.
 */
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const check = '"function"!=typeof fetch';
      if (!text.includes(check)) throw new Error(`yoga's loader changed: '${check}' is gone from ${args.path}; update scripts/bundleOptions.mjs.`);
      return { contents: text.replaceAll(check, 'true'), loader: 'js' };
    });
  },
};
/**
 * vscode-jsonrpc requires Node's crypto at load time but calls it only to name pipes and make
 * UUIDs, which vmtui's client never does; loading crypto was a few ms of every command's start.
 * The require is made lazy (the same functions on first use); the build fails if it is gone.
 */
const jsonrpcLazyCrypto = {
  name: 'jsonrpc-lazy-crypto',
  setup(b) {
    b.onLoad({ filter: /vscode-jsonrpc[\\/]lib[\\/]node[\\/](main|ril)\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const eager = 'const crypto_1 = require("crypto");';
      if (!text.includes(eager)) throw new Error(`vscode-jsonrpc changed: '${eager}' is gone from ${args.path}; update scripts/bundleOptions.mjs.`);
      const lazy = 'let crypto_1_module; const crypto_1 = new Proxy({}, { get: (_, key) => (crypto_1_module ??= require("crypto"))[key] });';
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
};
/**
 * Ink's output filters every character of every changed line through a regular expression that
 * esbuild rewrites as `new RegExp(...)` (it lowers \p{...} escapes), so one was built per character:
 * the largest single cost of a 50-VM redraw. The expression is made once per module; the build
 * fails if Ink no longer has it. (Keeping Ink's per-frame caches of styled lines across frames was
 * tried and dropped: the rows' figures change every second, so it cost 30 MiB and saved nothing.)
 * Its frames start from one shared blank cell (bundleInkGrid.mjs).
 */
const inkRegexOnce = {
  name: 'ink-regex-once',
  setup(b) {
    b.onLoad({ filter: /ink[\\/]build[\\/]output\.js$/ }, (args) => {
      const text = sharedBlank(readFileSync(args.path, 'utf8'), args.path);
      const inline = '/^\\p{Default_Ignorable_Code_Point}+$/u.test(';
      if (!text.includes(inline)) throw new Error(`Ink changed: '${inline}' is gone from ${args.path}; update scripts/bundleOptions.mjs.`);
      const once = 'const vmtuiDefaultIgnorable = /^\\p{Default_Ignorable_Code_Point}+$/u;\n';
      return { contents: once + text.replaceAll(inline, 'vmtuiDefaultIgnorable.test('), loader: 'js' };
    });
  },
};
/**
 * string-width segments every string into graphemes and tests each against Unicode regular
 * expressions: with 50 rows of bars and symbols it was the largest cost of a 1 Hz redraw. Ink's own
 * cache lives one frame; this one keeps widths across frames (the same cells come back each second),
 * for calls without options, cleared when full. The build fails if string-width no longer matches.
 * Its ASCII shortcut also takes the narrow symbols (bundleNarrow.mjs).
 */
const stringWidthKept = {
  name: 'string-width-kept',
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, (args) => {
      const text = narrowStringWidth(readFileSync(args.path, 'utf8'), args.path);
      const head = 'export default function stringWidth(input, options = {}) {';
      if (!text.includes(head)) throw new Error(`string-width changed: '${head}' is gone from ${args.path}; update scripts/bundleOptions.mjs.`);
      const kept = `
const vmtuiWidths = new Map();
export default function stringWidth(input, options) {
  if (options !== undefined || typeof input !== 'string') return stringWidthOf(input, options);
  let width = vmtuiWidths.get(input);
  if (width === undefined) {
    width = stringWidthOf(input);
    if (vmtuiWidths.size >= 8192) vmtuiWidths.clear();
    vmtuiWidths.set(input, width);
  }
  return width;
}
`;
      return { contents: text.replace(head, 'function stringWidthOf(input, options = {}) {') + kept, loader: 'js' };
    });
  },
};


/**
 * How vmtui's bundle is built, but for its entry and output (bundle.mjs); scripts/bench/ink-floor.ts
 * builds its bare Ink app with the same, so the floor it measures has every patch vmtui has.
 */
export const bundleOptions = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  jsx: 'automatic',
  // Ink loads its devtools bridge only when DEV=true; that package is not installed.
  external: ['react-devtools-core'],
  // CommonJS dependencies (vscode-jsonrpc) call require() for Node's own modules.
  banner: { js: "import { createRequire as __vmtuiRequire } from 'node:module'; const require = __vmtuiRequire(import.meta.url);" },
  // React, its reconciler and scheduler pick their build by NODE_ENV at run time; users run the
  // production build, so the development one is left out (half the UI chunk).
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [yogaWithoutFetch, jsonrpcLazyCrypto, inkRegexOnce, stringWidthKept, narrowText],
  legalComments: 'none',
  logLevel: 'warning',
};
