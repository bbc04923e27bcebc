// The words and lines of `vmtui ipsw`: pure functions, no helper.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downloadSentence, formatDuration, ipswTable, progressLine } from '../../src/commands/ipsw.js';
import type { IpswProgressParams } from '../../src/rpc/protocol.js';

const GiB = 1 << 30;
const base: IpswProgressParams = { url: 'https://x/a.ipsw', phase: 'downloading', receivedBytes: 0, totalBytes: null, bytesPerSecond: 0, etaSeconds: null };

test('the progress line shows bytes, percent, rate and ETA as far as they are known', () => {
  assert.equal(progressLine({ ...base, phase: 'connecting' }, 80), 'Connecting…');
  assert.equal(progressLine({ ...base, phase: 'connecting', receivedBytes: 3 * GiB }, 80), 'Connecting (resuming at 3 GiB)…');
  assert.equal(progressLine({ ...base, receivedBytes: 5 << 20 }, 80), 'Downloading  5 MiB');
  assert.equal(
    progressLine({ ...base, receivedBytes: 1.25 * GiB, totalBytes: 13.5 * GiB, bytesPerSecond: 45 << 20, etaSeconds: 271 }, 80),
    'Downloading  1.3 GiB of 13.5 GiB  9%  45 MiB/s  ETA 4m 31s',
  );
  assert.equal(progressLine({ ...base, phase: 'verifying', receivedBytes: GiB, totalBytes: 4 * GiB, bytesPerSecond: GiB, etaSeconds: 3 }, 80), 'Checking SHA-256  1 GiB of 4 GiB  25%  ETA 3s');
});

test('the progress line never wraps a narrow terminal', () => {
  const line = progressLine({ ...base, receivedBytes: 1.25 * GiB, totalBytes: 13.5 * GiB, bytesPerSecond: 45 << 20, etaSeconds: 271 }, 30);
  assert.equal(line.length, 29);
  assert.ok(line.endsWith('…'));
});

test('durations', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(59.4), '59s');
  assert.equal(formatDuration(60), '1m 00s');
  assert.equal(formatDuration(7325), '2h 02m');
});

test('the result says where, how much, and what the file was checked against', () => {
  const r = { path: '/h/cache/ipsw/a.ipsw', sizeBytes: 2 * GiB, sha256: 'ab'.repeat(32), verifiedWith: 'user' as const, resumedFromBytes: GiB };
  assert.equal(downloadSentence(r), `Downloaded /h/cache/ipsw/a.ipsw (2 GiB, resumed at 1 GiB).\nSHA-256 ${r.sha256}, checked against the SHA-256 you gave.\n`);
  assert.match(downloadSentence({ ...r, resumedFromBytes: 0, verifiedWith: 'none' }), /\(2 GiB\)\.\n.*checked against nothing: the server announced no SHA-256; pass --sha256 HEX to check it\.\n$/);
  assert.equal(downloadSentence({ ...r, resumedFromBytes: 2 * GiB }), `Already in the cache: /h/cache/ipsw/a.ipsw (2 GiB, SHA-256 ${r.sha256}).\n`);
});

test('the cache table', () => {
  assert.match(ipswTable({ images: [] }), /^No restore images are cached/);
  assert.equal(
    ipswTable({
      images: [
        { name: 'a.ipsw', path: '/c/a.ipsw', sizeBytes: 13 * GiB, complete: true },
        { name: 'longer-name.ipsw.partial', path: '/c/l', sizeBytes: GiB, complete: false, totalBytes: 4 * GiB },
        { name: 'b.partial', path: '/c/b', sizeBytes: 512, complete: false },
      ],
    }),
    'a.ipsw                    13 GiB  complete\nlonger-name.ipsw.partial   1 GiB  partial (25% of 4 GiB)\nb.partial                  512 B  partial\n',
  );
});
