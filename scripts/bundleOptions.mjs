// The esbuild options of vmtui's bundle and its patches of dependencies: each patch fails the build
// if the text it patches is gone.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { narrowLineUpdate, narrowStringWidth, narrowTokenize, simpleUnits } from './bundleNarrow.mjs';
import { lazyConstant, replacing } from './bundleReplace.mjs';

/**
 * Yoga (Ink's layout engine) loads its WebAssembly from a data: URL with fetch() when fetch
 * exists, which makes Node load its whole HTTP client (about 40 ms); decoded in place it is the
 * same bytes. The check is replaced.
 */
const yogaWithoutFetch = (text, path) => replacing(text, path, "yoga's loader", '"function"!=typeof fetch', 'true', true);

/**
 * It decodes that data: URL with atob and a loop over its 72 KB, 1.5-3.5 ms of the UI's start;
 * Node's Buffer decodes the same bytes in 0.06 ms.
 */
const yogaBase64ByBuffer = (text, path) =>
  replacing(
    text,
    path,
    "yoga's loader",
    'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c}',
    'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))}',
  );

/**
 * vscode-jsonrpc requires Node's crypto at load time but calls it only to name pipes and make
 * UUIDs, which vmtui's client never does; loading crypto was a few ms of every command's start.
 * The require is made lazy (the same functions on first use).
 */
const jsonrpcLazyCrypto = (text, path) =>
  replacing(
    text,
    path,
    'vscode-jsonrpc',
    'const crypto_1 = require("crypto");',
    lazyConstant('const', 'crypto_1', 'require("crypto")'),
  );

/**
 * Ink's Output (the grid each frame is drawn into) made one object per character written and per
 * cell: the largest cost of a 50-VM redraw. The bundle draws with src/ui/inkOutput.ts instead, which
 * makes the same text (test/unit/inkOutput.test.ts compares them over random frames).
 */
const inkOutputModule = () =>
  `import { outputClass } from ${JSON.stringify(fileURLToPath(new URL('../src/ui/inkOutput.ts', import.meta.url)))};\n` +
  `export default outputClass(${simpleUnits});\n`;

/**
 * string-width segments every string into graphemes and tests each against Unicode regular
 * expressions: with 50 rows of bars and symbols it was the largest cost of a 1 Hz redraw. Ink's own
 * cache lives one frame; this one keeps widths across frames (the same cells come back each second),
 * for calls without options, cleared when full. Its ASCII shortcut also takes the narrow symbols
 * (bundleNarrow.mjs). Its emoji expression is made on first use: made as it loads, it was 12 ms of
 * the UI's start (it expands every emoji sequence), and text of ASCII and the narrow symbols never
 * needs it.
 */
const RGI_EMOJI = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
const KEPT_WIDTHS = `
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
const stringWidthKept = (text, path) => {
  let t = replacing(text, path, 'string-width', RGI_EMOJI, lazyConstant('const', 'rgiEmojiRegex', '/^\\p{RGI_Emoji}$/v'));
  t = replacing(t, path, 'string-width', 'export default function stringWidth(input, options = {}) {', 'function stringWidthOf(input, options = {}) {');
  return t + KEPT_WIDTHS;
};

/**
 * Five of Ink's text helpers make an Intl.Segmenter as they load; the first one loads ICU's break
 * rules, 8-15 ms of the UI's start, though text of ASCII and the narrow symbols never needs one
 * (bundleNarrow.mjs). Each module-level segmenter is made on first use instead. Segmenters made
 * inside functions are left as they are.
 */
const SEGMENTER_AT_LOAD = /^(const|let|var) (\w+) = new Intl\.Segmenter\(([^()]*)\);$/gm;
export const lazySegmenters = (text) =>
  text.replace(SEGMENTER_AT_LOAD, (_, kind, name, args) => lazyConstant(kind, name, `new Intl.Segmenter(${args})`));

/** The patches: which dependency files each rewrites, in order (esbuild takes one answer per file). */
const YOGA_LOADER = /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/;
const INK_OUTPUT = /ink[\\/]build[\\/]output\.js$/;
const STRING_WIDTH = /[\\/]string-width[\\/]index\.js$/;
const patches = [
  { files: YOGA_LOADER, patch: yogaWithoutFetch },
  { files: YOGA_LOADER, patch: yogaBase64ByBuffer },
  { files: /vscode-jsonrpc[\\/]lib[\\/]node[\\/](main|ril)\.js$/, patch: jsonrpcLazyCrypto },
  { files: INK_OUTPUT, patch: inkOutputModule },
  { files: STRING_WIDTH, patch: narrowStringWidth },
  { files: STRING_WIDTH, patch: stringWidthKept },
  { files: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/, patch: narrowTokenize },
  { files: /[\\/]ink[\\/]build[\\/]line-update\.js$/, patch: narrowLineUpdate },
  { files: /[\\/]node_modules[\\/].*\.m?js$/, patch: lazySegmenters },
];

/** A plugin applying each of `list`'s patches to the files it names. */
export function patching(list) {
  return {
    name: 'vmtui-patches',
    setup(b) {
      b.onLoad({ filter: /\.m?js$/ }, (args) => {
        const mine = list.filter((p) => p.files.test(args.path));
        if (mine.length === 0) return undefined;
        const text = mine.reduce((t, p) => p.patch(t, args.path), readFileSync(args.path, 'utf8'));
        return { contents: text, loader: 'js' };
      });
    },
  };
}

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
  plugins: [patching(patches)],
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * Ink awaits at its top level only with DEV=true and react-devtools-core installed, which vmtui
 * never has (the package is not a dependency); a classic script cannot await at its top level, so
 * the UI script's copy skips both awaits.
 */
const inkDevtoolsAwaits = (text, path) => {
  if (path.endsWith('devtools.js')) return replacing(text, path, 'Ink', 'if (await isDevToolsReachable()) {', 'if (false) {');
  const t = replacing(text, path, 'Ink', "await import('./devtools.js');", 'void 0;');
  return replacing(t, path, 'Ink', 'const loaded = await loadPackageJson();', 'const loaded = {};');
};

/**
 * yoga-layout awaits its WebAssembly at its top level, which a classic script cannot: the UI script
 * takes yoga, loaded as a module beside it, as a parameter (uiScript.ts).
 */
const yogaFromParameter = {
  name: 'vmtui-yoga-parameter',
  setup(b) {
    b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: 'yoga-layout', namespace: 'vmtui-yoga' }));
    b.onLoad({ filter: /.*/, namespace: 'vmtui-yoga' }, () => ({ contents: 'export default __vmtuiYoga;', loader: 'js' }));
  },
};

/**
 * The UI as one classic script (src/uiEntry.ts and all it loads), for V8's code cache: unlike an ES
 * module's, a script's cache can be made after it has run, so it holds the code the first frame
 * compiled (uiScript.ts). Its modules still load in the order they are imported. `import.meta.url`,
 * `require` and yoga are parameters of the function uiScript.ts wraps its text in.
 */
export const uiScriptOptions = {
  ...bundleOptions,
  splitting: false,
  format: 'cjs',
  banner: {},
  define: { ...bundleOptions.define, 'import.meta.url': '__vmtuiUrl' },
  plugins: [yogaFromParameter, patching([{ files: /ink[\\/]build[\\/](reconciler|devtools)\.js$/, patch: inkDevtoolsAwaits }, ...patches])],
  outExtension: { '.js': '.cjs' },
};
