// The bundle's narrow-text shortcuts (scripts/bundleNarrow.mjs): each listed symbol is one column and
// its own grapheme beside anything in the set, and string-width, ansi-tokenize and Ink's line update,
// built with the patches as the bundle builds them, answer exactly as the originals do.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const modules = join(repo, 'node_modules');
const { NARROW_CHARS, narrowLineUpdate, narrowStringWidth, narrowTokenize } = await import(pathToFileURL(join(repo, 'scripts/bundleNarrow.mjs')).href);
const { patching } = await import(pathToFileURL(join(repo, 'scripts/bundleOptions.mjs')).href);

type Width = (text: string) => number;
type Tokenize = (text: string) => unknown[];
type LineUpdate = (previous: string, next: string, columns: number) => string;
interface Texts {
  stringWidth: Width;
  tokenize: Tokenize;
  lineUpdate: LineUpdate;
}

const sources = {
  stringWidth: join(modules, 'string-width/index.js'),
  tokenize: join(modules, '@alcalzone/ansi-tokenize/build/tokenize.js'),
  lineUpdate: join(modules, 'ink/build/line-update.js'),
};
const exportsOf = `export { default as stringWidth } from ${JSON.stringify(sources.stringWidth)};
export { tokenize } from ${JSON.stringify(sources.tokenize)};
export { default as lineUpdate } from ${JSON.stringify(sources.lineUpdate)};`;

async function load(patched: boolean): Promise<Texts> {
  if (!patched) {
    const [w, t, l] = await Promise.all([sources.stringWidth, sources.tokenize, sources.lineUpdate].map((p) => import(pathToFileURL(p).href)));
    return { stringWidth: w.default, tokenize: t.tokenize, lineUpdate: l.default };
  }
  const out = await build({
    stdin: { contents: exportsOf, resolveDir: repo, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'silent',
    plugins: [
      patching([
        { files: /[\\/]string-width[\\/]index\.js$/, patch: narrowStringWidth },
        { files: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/, patch: narrowTokenize },
        { files: /[\\/]ink[\\/]build[\\/]line-update\.js$/, patch: narrowLineUpdate },
      ]) as Plugin,
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'vmtui-narrow-'));
  try {
    const file = join(dir, 'texts.mjs');
    writeFileSync(file, out.outputFiles[0]!.text);
    const m = await import(pathToFileURL(file).href);
    return { stringWidth: m.stringWidth, tokenize: m.tokenize, lineUpdate: m.lineUpdate };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ascii = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));
const narrow = [...(NARROW_CHARS as string)];
const ESC = '\u001B';

test('every narrow symbol is one UTF-16 unit and one column wide', async () => {
  const { stringWidth } = await load(false);
  assert.ok(narrow.length > 40, 'the list holds the symbols the UI draws');
  for (const c of narrow) {
    assert.equal(c.length, 1, `${c} is one UTF-16 unit`);
    assert.equal(stringWidth(c), 1, `${c} (U+${c.codePointAt(0)!.toString(16)}) is one column`);
  }
});

test('beside ASCII, ESC or another narrow symbol, each narrow symbol stays its own grapheme', () => {
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const all = [...ascii, ...narrow, ESC];
  for (const a of narrow) {
    for (const b of all) {
      assert.equal([...segmenter.segment(a + b)].length, 2, `U+${a.codePointAt(0)!.toString(16)} then U+${b.codePointAt(0)!.toString(16)}`);
      assert.equal([...segmenter.segment(b + a)].length, 2, `U+${b.codePointAt(0)!.toString(16)} then U+${a.codePointAt(0)!.toString(16)}`);
    }
  }
});

/** Text a dashboard draws: words, figures, bars and marks, some styled, and some that is not narrow. */
function corpus(): string[] {
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const styles = ['\u001B[1m', '\u001B[22m', '\u001B[36m', '\u001B[39m', '\u001B[38;5;208m', '\u001B[7m\u001B[27m'];
  const wide = ['日本', '😀', '👩‍💻', 'é', 'e\u0301', '\u200B', '한', '\t', '☁️', '1\u20E3'];
  const texts = ['', 'vm001  running  2 cores', '● running ▁▂▃▅▇█ 12 %', '╭──────╮', '│ ✓ ok │', '○ stopped · 3 GiB…'];
  for (let i = 0; i < 400; i++) {
    let text = '';
    const length = random(40);
    for (let j = 0; j < length; j++) {
      const pick = random(20);
      if (pick < 9) text += ascii[random(ascii.length)];
      else if (pick < 17) text += narrow[random(narrow.length)];
      else if (pick < 19) text += styles[random(styles.length)];
      else if (i % 4 === 0) text += wide[random(wide.length)];
    }
    texts.push(text);
  }
  return texts;
}

test('string-width, ansi-tokenize and the line update answer as the originals do', async () => {
  const [original, patched] = await Promise.all([load(false), load(true)]);
  assert.notEqual(patched.tokenize, original.tokenize, 'the patched copy is a separate build');
  const texts = corpus();
  for (const text of texts) {
    assert.equal(patched.stringWidth(text), original.stringWidth(text), `width of ${JSON.stringify(text)}`);
    assert.deepEqual(patched.tokenize(text), original.tokenize(text), `tokens of ${JSON.stringify(text)}`);
  }
  for (let i = 1; i < texts.length; i++) {
    const [previous, next] = [texts[i - 1]!, texts[i]!];
    for (const columns of [20, 80]) {
      assert.equal(patched.lineUpdate(previous, next, columns), original.lineUpdate(previous, next, columns), `update ${JSON.stringify(previous)} → ${JSON.stringify(next)}`);
      const changedEnd = next.slice(0, -1) + '▇';
      assert.equal(patched.lineUpdate(next, changedEnd, columns), original.lineUpdate(next, changedEnd, columns), `update ${JSON.stringify(next)} at its end`);
    }
  }
});
