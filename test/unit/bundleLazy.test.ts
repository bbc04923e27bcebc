// The bundle's values made on first use (scripts/bundleReplace.mjs, scripts/bundleOptions.mjs): a
// module-level segmenter or expression behind the proxy answers as the real one, is made only when
// first used, and the built UI chunk makes none of them as it loads.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const { lazyConstant } = await import(pathToFileURL(join(repo, 'scripts/bundleReplace.mjs')).href);
const { lazySegmenters } = await import(pathToFileURL(join(repo, 'scripts/bundleOptions.mjs')).href);

/** Runs module text with `Intl` replaced by one that counts the segmenters made; returns its `result`. */
function run(text: string): { made: () => number; result: (s: string) => unknown } {
  let made = 0;
  class Counted extends Intl.Segmenter {
    constructor(...args: ConstructorParameters<typeof Intl.Segmenter>) {
      super(...args);
      made++;
    }
  }
  const intl = { Segmenter: Counted };
  const result = new Function('Intl', `${text}\nreturn result;`)(intl) as (s: string) => unknown;
  return { made: () => made, result };
}

const texts = ['plain ascii', 'a\u0301e\u0301', '👩‍💻 and 🇫🇷', '한국어 텍스트', ''];
const segments = (segmenter: Intl.Segmenter, s: string) => [...segmenter.segment(s)].map(({ segment, index }) => [segment, index]);

test('a module-level segmenter is made on first use and segments as the real one', () => {
  const source = `const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const result = (s) => [...segmenter.segment(s)].map(({ segment, index }) => [segment, index]);`;
  const patched = lazySegmenters(source);
  assert.notEqual(patched, source);
  const { made, result } = run(patched);
  assert.equal(made(), 0, 'no segmenter is made as the module loads');
  const real = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const s of texts) assert.deepEqual(result(s), segments(real, s), s);
  assert.equal(made(), 1, 'one segmenter, made once');
  // `containing` and the other methods of the segments work on the real object.
  const { result: containing } = run(`${lazySegmenters('var seg = new Intl.Segmenter();')}\nconst result = (s) => seg.segment(s).containing(1).segment;`);
  assert.equal(containing('a\u0301b'), 'a\u0301');
});

test('segmenters made inside functions are left as they are', () => {
  const inside = 'function f(s) {\n  const segmenter = new Intl.Segmenter();\n  return segmenter.segment(s);\n}';
  assert.equal(lazySegmenters(inside), inside);
});

test('a lazy expression is made once, on first use, and matches as the real one', () => {
  const emoji = () => new RegExp('^\\p{RGI_Emoji}$', 'v');
  let made = 0;
  (globalThis as { vmtuiMake?: () => RegExp }).vmtuiMake = () => {
    made++;
    return emoji();
  };
  try {
    const result = new Function(`${lazyConstant('const', 'emoji', 'globalThis.vmtuiMake()')}\nreturn (s) => emoji.test(s);`)() as (s: string) => boolean;
    assert.equal(made, 0, 'not made as the module loads');
    const real = emoji();
    for (const s of ['👩‍💻', '🇫🇷', 'a', '1', '❤️', '❤']) assert.equal(result(s), real.test(s), s);
    assert.equal(made, 1, 'made once');
  } finally {
    delete (globalThis as { vmtuiMake?: unknown }).vmtuiMake;
  }
});

test('the built UI chunk and UI script make no segmenter and no emoji expression as they load', () => {
  const bundle = join(repo, 'dist/vmtui');
  // A module's top-level value: `const x = new ...` in a chunk, `x = new ...` inside the script's
  // module initialisers (indented; esbuild declares the variable above).
  const atLoad = /^\s*((var|let|const) )?\w+ = new (Intl\.Segmenter\(|RegExp\("\^\\\\p\{RGI_Emoji\})/m;
  const chunks = readdirSync(join(bundle, 'chunks')).filter((f) => f.endsWith('.js')).map((f) => join('chunks', f));
  const scripts = readdirSync(bundle).filter((f) => /^ui-\w+\.cjs$/.test(f));
  assert.ok(chunks.some((f) => f.startsWith('chunks/tui-')), 'the UI chunk is built');
  assert.equal(scripts.length, 1, 'the UI script is built');
  for (const file of [...chunks, ...scripts]) assert.doesNotMatch(readFileSync(join(bundle, file), 'utf8'), atLoad, file);
  // What the expression is for: the dependencies' own text makes both as it loads.
  assert.match('      segmenter = new Intl.Segmenter();', atLoad);
  assert.match('var rgiEmojiRegex = new RegExp("^\\\\p{RGI_Emoji}$", "v");', atLoad);
});
