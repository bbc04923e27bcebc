// The floor under vmtui's TUI targets: a bare Ink app, bundled as vmtui's bundle is (the same esbuild
// options and patches, React's production build, the compile cache), with no vmtui code and no helper.
// It prints what any Ink UI costs on this machine, beside `node -e 0` measured in the same run:
// - spawn to its first frame in a pty (vmtui's target for its own first frame: ≤ 2.5× node -e 0);
// - CPU per second and resident memory redrawing 0 and 50 rows once a second at 160×64, rows of the
//   dashboard's shape (vmtui's target at 50 VMs: ≤ 2 % of a core, ≤ 80 MiB).
// What vmtui adds on top of this floor is its own; what the floor already exceeds, no change to
// vmtui's code can meet. Run: node dist/scripts/bench/ink-floor.js [runs=10] [seconds=10]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { findProcess, sleep, until, watch } from './procUsage.js';
import { percentile } from './stats.js';

const repo = resolve(fileURLToPath(import.meta.url), '../../../..');
const runs = Number(process.argv[2] ?? 10);
const seconds = Number(process.argv[3] ?? 10);
const COLUMNS = 160;
const ROWS = 64;

/**
 * Rows of the dashboard's shape, drawn as the dashboard draws them (VmTable.tsx): one Text per row
 * (one layout node), its coloured cells nested Texts, plain runs padded to their columns.
 */
const app = `
import { render, Box, Text } from 'ink';
import React from 'react';
const { createElement: h, useEffect, useState } = React;
const rows = Number(process.env.FLOOR_ROWS);
const bar = (n) => '█'.repeat(n % 10) + '░'.repeat(10 - (n % 10));
function Floor() {
  const [tick, setTick] = useState(0);
  useEffect(() => { const t = setInterval(() => setTick((n) => n + 1), 1000); return () => clearInterval(t); }, []);
  const lines = [];
  for (let i = 0; i < rows; i++) {
    const n = tick * 7 + i * 3;
    lines.push(h(Text, { key: i, bold: i === 0, wrap: 'truncate' },
      h(Text, null, '  ' + ('vm' + String(i).padStart(3, '0')).padEnd(16)),
      h(Text, { color: 'green' }, '● running'.padEnd(12)),
      h(Text, { color: 'cyan' }, (String(n % 100).padStart(3) + ' % ' + bar(n)).padEnd(20)),
      h(Text, null, ((n % 4096) + ' MiB').padEnd(11) + ('10.0.2.' + (i + 15)).padEnd(16) + Math.floor(n / 60) + 'm ' + (n % 60) + 's')));
  }
  return h(Box, { flexDirection: 'column' }, h(Text, { bold: true, color: 'cyan' }, 'floor ready ' + tick), ...lines);
}
render(h(Floor), { exitOnCtrlC: true, interactive: true, alternateScreen: true, incrementalRendering: true });
`;

const dir = mkdtempSync(join(tmpdir(), 'vmtui-bench-floor-'));
// As vmtui's bin.js: the compile cache is on before the UI's chunk loads.
const source = join(dir, 'floor.mjs');
writeFileSync(source, "import { enableCompileCache } from 'node:module';\nenableCompileCache(process.env.FLOOR_CACHE);\nawait import('./app.mjs');\n");
writeFileSync(join(dir, 'app.mjs'), app);
const entry = join(dir, 'out', 'floor.js');
// Every patch of vmtui's bundle (scripts/bundleOptions.mjs), so the floor is Ink as vmtui runs it.
const { bundleOptions } = await import(pathToFileURL(join(repo, 'scripts/bundleOptions.mjs')).href);
await build({
  ...bundleOptions,
  entryPoints: { floor: source },
  outdir: join(dir, 'out'),
  nodePaths: [join(repo, 'node_modules')],
});
const env = { ...process.env, FLOOR_CACHE: join(dir, 'cache'), TERM: 'xterm-256color' };
const node = JSON.stringify(process.execPath);

/** Spawn to the first output matching `until` (or to exit) of `command` in a pty of 160×64. */
function timeInPty(command: string, rows: number, match?: RegExp): Promise<number> {
  return new Promise((done, fail) => {
    const start = performance.now();
    const child = spawn('script', ['-qfec', `stty cols ${COLUMNS} rows ${ROWS}; exec ${command}`, '/dev/null'], { env: { ...env, FLOOR_ROWS: String(rows) } });
    let out = '';
    let elapsed: number | undefined;
    const timer = setTimeout(() => { child.kill('SIGKILL'); fail(new Error(`no frame in 30 s; output: ${out.slice(-300)}`)); }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (match && elapsed === undefined && match.test(out)) {
        elapsed = performance.now() - start;
        child.stdin.write('\u0003');
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      if (match && elapsed === undefined) fail(new Error(`'${command}' ended without a frame; output: ${out.slice(-300)}`));
      else done(elapsed ?? performance.now() - start);
    });
  });
}

/** CPU ms per second and mean resident MiB of the floor app drawing `rows` rows, after 5 s. */
async function steady(rows: number): Promise<{ cpu: number; rss: number; file: number }> {
  const child = spawn('script', ['-qfec', `stty cols ${COLUMNS} rows ${ROWS}; exec ${node} ${JSON.stringify(entry)}`, '/dev/null'], {
    env: { ...env, FLOOR_ROWS: String(rows) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  child.stdout.resume();
  const ended = new Promise((done) => child.once('exit', done));
  try {
    const pid = await until('the floor app', () => findProcess(child.pid!, entry));
    await sleep(5000);
    const seen = await watch(pid, seconds);
    return { cpu: seen.cpuMsPerSecond, rss: seen.rssMeanMiB, file: seen.fileMeanMiB };
  } finally {
    child.kill('SIGKILL');
    await ended;
  }
}

try {
  await timeInPty(`${node} ${JSON.stringify(entry)}`, 0, /floor ready/); // warms the compile cache
  const bare: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await timeInPty(`${node} -e 0`, 0));
    first.push(await timeInPty(`${node} ${JSON.stringify(entry)}`, 0, /floor ready/));
  }
  const b = percentile(bare, 50);
  const f = percentile(first, 50);
  console.log(`A bare Ink app (bundled as vmtui is), ${COLUMNS}×${ROWS} pty, ${runs} runs, ${seconds} s per steady case`);
  console.log(`node -e 0 in a pty (spawn to exit)       p50 ${b.toFixed(1)} ms`);
  console.log(`bare Ink app, spawn to its first frame    p50 ${f.toFixed(1)} ms  = ${(f / b).toFixed(2)}x node -e 0 (vmtui's target for its first frame: ≤ 2.5x)`);
  for (const rows of [0, 50]) {
    const s = await steady(rows);
    console.log(
      `bare Ink app, ${String(rows).padStart(2)} rows redrawn at 1 Hz: ${s.cpu.toFixed(1)} ms of CPU a second (${(s.cpu / 10).toFixed(2)} % of a core), ` +
        `${s.rss.toFixed(1)} MiB resident, ${s.file.toFixed(1)} of it in files (vmtui's target at 50 VMs: ≤ 2 %, ≤ 80 MiB)`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
