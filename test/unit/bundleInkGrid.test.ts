// The bundle's shared blank cell (scripts/bundleInkGrid.mjs): Ink's Output, built with it as the
// bundle builds it, draws the same frames as Ink's own, over overlapping, clipped, styled and wide
// writes, and a frame drawn over a shared blank never changes it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const outputJs = join(repo, 'node_modules/ink/build/output.js');
const { sharedBlank } = await import(pathToFileURL(join(repo, 'scripts/bundleInkGrid.mjs')).href);

interface Output {
  write(x: number, y: number, text: string, options: { transformers: ((line: string, index: number) => string)[] }): void;
  clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
  get(): { output: string; height: number };
}
type OutputClass = new (options: { width: number; height: number }) => Output;

async function patchedOutput(): Promise<OutputClass> {
  const patch: Plugin = {
    name: 'shared-blank',
    setup(b) {
      b.onLoad({ filter: /ink[\\/]build[\\/]output\.js$/ }, (args) => ({ contents: sharedBlank(readFileSync(args.path, 'utf8'), args.path), loader: 'js' }));
    },
  };
  const out = await build({ entryPoints: [outputJs], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent', plugins: [patch] });
  const dir = mkdtempSync(join(tmpdir(), 'vmtui-grid-'));
  try {
    const file = join(dir, 'output.mjs');
    writeFileSync(file, out.outputFiles[0]!.text);
    return (await import(pathToFileURL(file).href)).default;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A frame's operations: rows, overlapping writes, clips, styles, wide and narrow characters. */
function frames(): ((o: Output) => void)[] {
  let seed = 11;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const pieces = ['vm001', '● running', '▁▂▃▅▇', '\u001B[36mcyan\u001B[39m', '日本語', '😀', '│', 'a\nb\nc', '  ', '…', '\u001B[1mbold\u001B[22m'];
  const list: ((o: Output) => void)[] = [];
  for (let f = 0; f < 60; f++) {
    const ops: ((o: Output) => void)[] = [];
    for (let i = 0; i < 12; i++) {
      const [x, y, text] = [random(30) - 2, random(12) - 1, pieces[random(pieces.length)]! + pieces[random(pieces.length)]!];
      const pick = random(10);
      const clip = { x1: random(10), x2: 10 + random(20), y1: random(4), y2: 4 + random(8) };
      if (pick === 0) ops.push((o) => o.clip(clip));
      else if (pick === 1) ops.push((o) => o.unclip());
      else if (pick === 2) ops.push((o) => o.write(x, y, text, { transformers: [(line) => line.toUpperCase()] }));
      else ops.push((o) => o.write(x, y, text, { transformers: [] }));
    }
    list.push((o) => {
      for (const op of ops) op(o);
    });
  }
  return list;
}

test('Ink frames drawn over the shared blank cell are the frames Ink draws', async () => {
  const Patched = await patchedOutput();
  const Original: OutputClass = (await import(pathToFileURL(outputJs).href)).default;
  assert.notEqual(Patched, Original, 'the patched Output is a separate build');
  for (const [index, draw] of frames().entries()) {
    const [a, b] = [new Original({ width: 24, height: 10 }), new Patched({ width: 24, height: 10 })];
    draw(a);
    draw(b);
    assert.deepEqual(b.get(), a.get(), `frame ${index}`);
  }
  const empty = new Patched({ width: 3, height: 2 }).get();
  assert.deepEqual(empty, { output: '\n', height: 2 });
});
