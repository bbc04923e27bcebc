// Sparklines, bars and graphs: pure, and bad samples (NaN, negative, Infinity, > 100 %) clamp.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BAR_EMPTY, bar, blockGraph, clampPercent, fitSeries, lastSamples, percentOf, sparkline } from '../../src/ui/charts.js';

test('clampPercent keeps 0…100 and says nothing for NaN', () => {
  assert.equal(clampPercent(42), 42);
  assert.equal(clampPercent(-5), 0);
  assert.equal(clampPercent(250), 100);
  assert.equal(clampPercent(Number.POSITIVE_INFINITY), 100);
  assert.equal(clampPercent(Number.NEGATIVE_INFINITY), 0);
  assert.equal(clampPercent(Number.NaN), undefined);
  assert.equal(clampPercent(undefined), undefined);
});

test('percentOf needs a positive, finite maximum', () => {
  assert.equal(percentOf(50, 200), 25);
  assert.equal(percentOf(300, 200), 100);
  assert.equal(percentOf(5, 0), undefined);
  assert.equal(percentOf(5, -1), undefined);
  assert.equal(percentOf(5, Number.NaN), undefined);
  assert.equal(percentOf(5, Number.POSITIVE_INFINITY), undefined);
});

test('sparkline: one cell per sample, lowest to highest, a gap where none', () => {
  assert.equal(sparkline([0, 50, 100, undefined], 4), '▁▅█ ');
  assert.equal(sparkline([], 3), '   ');
  // Bad values: negative is the floor, over 100 % and Infinity the top, NaN a gap.
  assert.equal(sparkline([-20, 180, Number.POSITIVE_INFINITY, Number.NaN, Number.NEGATIVE_INFINITY], 5), '▁██ ▁');
  // Scaled to a maximum: 100 of 200 is half way.
  assert.equal(sparkline([100, 200], 2, 200), '▅█');
  // A maximum that makes no sense draws gaps, never throws.
  assert.equal(sparkline([1, 2], 2, 0), '  ');
});

test('sparkline always has exactly the width asked for', () => {
  const samples = Array.from({ length: 60 }, (_, i) => (i * 37) % 113);
  for (let width = 0; width <= 80; width++) assert.equal([...sparkline(samples, width)].length, width, String(width));
  assert.equal(sparkline(samples, -3), '');
  assert.equal(sparkline(samples, 2.7), sparkline(samples, 2));
});

test('fitSeries keeps the peak of each bucket and stretches short series', () => {
  assert.deepStrictEqual(fitSeries([1, 9, 2, 3, 4, 0], 3), [9, 3, 4]);
  assert.deepStrictEqual(fitSeries([1, Number.NaN, undefined, 3], 2), [1, 3]);
  assert.deepStrictEqual(fitSeries([undefined, undefined], 1), [undefined]);
  assert.deepStrictEqual(fitSeries([5, 7], 4), [5, 5, 7, 7]);
  assert.deepStrictEqual(fitSeries([], 2), [undefined, undefined]);
  assert.deepStrictEqual(fitSeries([1, 2], 0), []);
});

test('lastSamples pads the front with gaps', () => {
  assert.deepStrictEqual(lastSamples([1, 2, 3], 5), [undefined, undefined, 1, 2, 3]);
  assert.deepStrictEqual(lastSamples([1, 2, 3, 4], 2), [3, 4]);
});

test('bar fills in eighths and clamps', () => {
  assert.equal(bar(0, 4), BAR_EMPTY.repeat(4));
  assert.equal(bar(100, 4), '████');
  assert.equal(bar(50, 4), '██' + BAR_EMPTY.repeat(2));
  assert.equal(bar(12.5 / 2, 4), '▎' + BAR_EMPTY.repeat(3)); // 1/4 of one cell of four
  for (const bad of [-10, 1000, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, undefined]) {
    assert.equal([...bar(bad, 7)].length, 7, String(bad));
  }
  assert.equal(bar(1000, 3), '███');
  assert.equal(bar(Number.NaN, 3), BAR_EMPTY.repeat(3));
  assert.equal(bar(50, 0), '');
});

test('blockGraph: rows top first, eighths on the top cell, gaps stay blank, zero shows on the floor', () => {
  assert.deepStrictEqual(blockGraph([100, 50, 0, undefined], 4, 2), ['█   ', '██▁ ']);
  assert.deepStrictEqual(blockGraph([25], 1, 2), [' ', '▄']);
  const graph = blockGraph([Number.NaN, -1, 500, Number.POSITIVE_INFINITY], 4, 3);
  assert.deepStrictEqual(graph, [' ' + ' ' + '██', ' ' + ' ' + '██', ' ▁██']);
  for (const row of blockGraph(Array.from({ length: 300 }, (_, i) => i), 37, 5)) assert.equal([...row].length, 37);
});
