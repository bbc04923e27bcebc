// The bundle's Ink Output (src/ui/inkOutput.ts, in place of ink/build/output.js) against Ink's own:
// random frames of overlapping, clipped, styled, wide, joined and escaped writes, with transformers,
// must come out byte for byte the same; so must a 50-VM dashboard's frames.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { outputClass } from '../../src/ui/inkOutput.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const { simpleUnits } = (await import(pathToFileURL(join(repo, 'scripts/bundleNarrow.mjs')).href)) as { simpleUnits: RegExp };

type Transformer = (line: string, index: number) => string;
interface Output {
  write(x: number, y: number, text: string, options: { transformers: Transformer[] }): void;
  clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
  get(): { output: string; height: number };
}
type OutputClass = new (options: { width: number; height: number }) => Output;
const Ink = (await import(pathToFileURL(join(repo, 'node_modules/ink/build/output.js')).href)).default as OutputClass;
const Ours = outputClass(simpleUnits) as OutputClass;

const ESC = '\u001B';
const PIECES = [
  'vm001',
  '● running',
  '▁▂▃▅▇ 12%',
  '│',
  '  ',
  '…',
  'a\nb\nc',
  `${ESC}[36mcyan${ESC}[39m`,
  `${ESC}[1;3;31mbold italic red${ESC}[0m`,
  `${ESC}[38;5;208morange${ESC}[39m and ${ESC}[48;2;10;20;30mdeep${ESC}[49m`,
  `${ESC}[2mdim ${ESC}[1mboth${ESC}[22m none`,
  `${ESC}[7mopen style\nacross lines`,
  `${ESC}[mempty reset`,
  `${ESC}[2Kerase line`, // not SGR: Ink's tokenizer keeps it as characters
  `${ESC}]8;;https://example.org${ESC}\\link${ESC}]8;;${ESC}\\`,
  `${ESC}]0;title\u0007after`,
  '\u009B31mC1',
  '日本語',
  'ab😀cd',
  '👩‍💻 dev',
  '🇫🇷',
  'e\u0301 accent',
  'zero\u200Bwidth',
  'tab\there',
  'cr\r\nlf',
  '☺\uFE0F',
  '',
  ESC,
];
const TRANSFORMERS: Transformer[] = [
  (line) => line.toUpperCase(),
  (line) => `${ESC}[32m${line}${ESC}[39m`,
  (line, index) => `${index}:${line}`,
  (line) => `${line}\nextra`,
  (line) => `${ESC}[44m${line}`,
];

/** Random frames: each a list of operations drawn into both Outputs. */
function frames(count: number, seed: number, width: number, height: number): ((o: Output) => void)[] {
  // mulberry32: an LCG's low bits repeat too soon to reach every piece.
  const random = (n: number) => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  const list: ((o: Output) => void)[] = [];
  for (let f = 0; f < count; f++) {
    const ops: ((o: Output) => void)[] = [];
    for (let i = 0; i < 16; i++) {
      const x = random(width + 6) - 3;
      const y = random(height + 4) - 2;
      const text = PIECES[random(PIECES.length)]! + PIECES[random(PIECES.length)]! + (random(3) === 0 ? PIECES[random(PIECES.length)]! : '');
      const pick = random(12);
      const clip = random(4) === 0 ? { x1: random(width) } : { x1: random(width / 2) - 1, x2: width / 2 + random(width), y1: random(4) - 1, y2: 3 + random(height) };
      const transformers = random(3) === 0 ? [TRANSFORMERS[random(TRANSFORMERS.length)]!, ...(random(2) === 0 ? [TRANSFORMERS[random(TRANSFORMERS.length)]!] : [])] : [];
      if (pick === 0) ops.push((o) => o.clip(clip));
      else if (pick === 1) ops.push((o) => o.unclip());
      else ops.push((o) => o.write(x, y, text, { transformers }));
    }
    list.push((o) => {
      for (const op of ops) op(o);
    });
  }
  return list;
}

function same(draw: (o: Output) => void, width: number, height: number, what: string): void {
  const [ink, ours] = [new Ink({ width, height }), new Ours({ width, height })];
  draw(ink);
  draw(ours);
  assert.deepEqual(ours.get(), ink.get(), what);
}

test('random frames come out as Ink draws them, byte for byte', () => {
  for (const [width, height, seed] of [
    [24, 10, 11],
    [40, 6, 7],
    [9, 3, 5],
  ] as const) {
    for (const [index, draw] of frames(250, seed, width, height).entries()) same(draw, width, height, `${width}×${height} frame ${index}`);
  }
});

test('frames of different sizes drawn one after another share nothing', () => {
  // The rows are reused from frame to frame: a larger frame must not show through a smaller one.
  const big = frames(1, 3, 60, 20)[0]!;
  const small = frames(1, 4, 10, 4)[0]!;
  same(big, 60, 20, 'big');
  same(small, 10, 4, 'small after big');
  same(big, 60, 20, 'big again');
  same(() => {}, 3, 2, 'empty');
  assert.deepEqual(new Ours({ width: 3, height: 2 }).get(), { output: '\n', height: 2 });
});

test("a 50-VM dashboard's frames come out as Ink draws them", () => {
  const bar = (n: number) => '▁▂▃▄▅▆▇█'.slice(0, 1 + (n % 8));
  for (let tick = 0; tick < 5; tick++) {
    same(
      (o) => {
        o.write(0, 0, `${ESC}[1mvmtui${ESC}[22m  host  ${ESC}[2m2 cores · 24 GiB${ESC}[22m`, { transformers: [] });
        o.write(0, 1, '╭' + '─'.repeat(118) + '╮', { transformers: [] });
        o.write(0, 2, '│\n'.repeat(50) + '│', { transformers: [] });
        o.clip({ x1: 1, x2: 119, y1: 2, y2: 52 });
        for (let vm = 0; vm < 50; vm++) {
          const selected = vm === tick;
          o.write(2, 2 + vm, `vm${String(vm).padStart(3, '0')}`, { transformers: selected ? [(l) => `${ESC}[7m${l}${ESC}[27m`] : [] });
          o.write(12, 2 + vm, vm % 3 === 0 ? '○ stopped' : '● running', { transformers: [(l) => `${ESC}[${vm % 3 === 0 ? 90 : 32}m${l}${ESC}[39m`] });
          o.write(26, 2 + vm, `${(vm * 7 + tick) % 100}%`.padStart(4) + ' ' + bar(vm + tick), { transformers: [] });
          o.write(40, 2 + vm, `10.0.2.${vm}  ${tick}h ${vm}m`, { transformers: [] });
        }
        o.unclip();
        o.write(0, 53, '? help  q quit  ↑↓ move', { transformers: [(l) => `${ESC}[2m${l}${ESC}[22m`] });
      },
      120,
      60,
      `tick ${tick}`,
    );
  }
});
