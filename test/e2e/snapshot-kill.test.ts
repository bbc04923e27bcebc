// kill -9 of the serve process in the middle of vm/clone and snapshot/create, at random moments
// and at the moment its temporary appears: afterwards the clone or snapshot is absent or whole (its
// disk hashes as the source's), a new serve leaves no hidden temporaries, and the source's disk and
// config are as they were. The kills on a temporary must land mid-copy (checked), so the test
// cannot pass on kills that all came before or after the copy.
// The seed and every delay are printed as diagnostics; replay a failure with VMTUI_KILL_SEED=<seed>.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import type { HelperClient } from '../../src/rpc/client.js';
import type { VMCloneResult } from '../../src/rpc/protocol.js';
import { waitFor } from '../helpers/wait.js';
import { ConsoleWatch, guestParams, vmSession, type VmSession } from './vm-support.js';

const MiB = 2 ** 20;
/** Real (non-zero) data in the source disk, so the sparse copy has this much to copy and sync. */
const DATA_BYTES = 256 * MiB;
const STOPPED_RUNS = 8;
/** A ceiling only a hang reaches. */
const HANG_MS = 60_000;
const RUNNING_RUNS = 2;

const seed = Number(process.env.VMTUI_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** xorshift32: a few lines, seeded, so a failing run can be replayed. Returns [0, 1). */
function randomFrom(start: number): () => number {
  let x = start >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}
const random = randomFrom(seed);

let s: VmSession;
before(async () => {
  s = await vmSession();
});
after(async () => {
  await s.close();
});

const vmsDir = () => join(s.home.home, 'vms');

function sha256(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => done(hash.digest('hex')))
      .on('error', fail);
  });
}

/** Fills the disk with data no block of which is all zeros (those would stay holes). */
async function fillDisk(path: string, bytes: number): Promise<void> {
  const block = Buffer.alloc(MiB);
  for (let i = 0; i < block.length; i += 4) block.writeUInt32LE(Math.floor(random() * 2 ** 32), i);
  const file = await open(path, 'r+');
  try {
    for (let offset = 0; offset < bytes; offset += MiB) {
      block.writeUInt32LE(offset / MiB, 0); // each MiB differs, so a misplaced block changes the hash
      await file.write(block, 0, MiB, offset);
    }
  } finally {
    await file.close();
  }
}

/** Hidden temporaries a clone, snapshot or restore works in (PROTOCOL.md, "Snapshots and clones"). */
function leftovers(): string[] {
  const found: string[] = [];
  const hidden = (dir: string, prefixes: string[]) =>
    existsSync(dir) ? readdirSync(dir).filter((e) => prefixes.some((p) => e.startsWith(p))).map((e) => join(dir, e)) : [];
  found.push(...hidden(vmsDir(), ['.cloning-', '.creating-', '.deleting-']));
  for (const vm of readdirSync(vmsDir()).filter((e) => !e.startsWith('.'))) {
    found.push(...hidden(join(vmsDir(), vm), ['.restoring-']));
    found.push(...hidden(join(vmsDir(), vm, 'snapshots'), ['.creating-', '.deleting-']));
  }
  return found;
}

interface Source {
  name: string;
  diskHash: string;
  config: string;
}

async function source(name: string): Promise<Source> {
  return { name, diskHash: await sha256(join(vmsDir(), name, 'disk.img')), config: readFileSync(join(vmsDir(), name, 'config.json'), 'utf8') };
}

type Op = 'clone' | 'snapshot';

function start(client: HelperClient, op: Op, src: string, target: string): Promise<unknown> {
  return op === 'clone' ? client.cloneVm(src, target) : client.createSnapshot({ vm: src, name: target, note: 'kill test' });
}

function targetDir(op: Op, src: string, target: string): string {
  return op === 'clone' ? join(vmsDir(), target) : join(vmsDir(), src, 'snapshots', target);
}

/**
 * Runs the operation to the end twice (checking and removing each copy) and returns how long the
 * second took, in ms, with its answer: the first warms the page cache, as it is for the killed runs.
 */
async function measure(client: HelperClient, op: Op, src: Source): Promise<[number, unknown]> {
  let took = 0;
  let answer: unknown;
  for (const target of [`measure-${op}-cold`, `measure-${op}`]) {
    const began = performance.now();
    answer = await start(client, op, src.name, target);
    took = performance.now() - began;
    assert.equal(await check(client, op, src, target, `unkilled ${op}`), true);
    await removeTarget(client, op, src.name, target);
  }
  return [took, answer];
}

/**
 * Starts the operation and SIGKILLs the serve process when `moment` says: after a delay in ms, or
 * as soon as the operation's hidden temporary exists (so mid-copy, while the disk is copied).
 * Says whether the answer came first.
 */
async function killDuring(client: HelperClient, op: Op, src: string, target: string, moment: number | 'temporary'): Promise<'answered' | 'killed'> {
  let settled = false;
  const outcome = start(client, op, src, target).then(
    () => 'answered' as const,
    () => 'killed' as const,
  ).finally(() => (settled = true));
  if (moment === 'temporary') {
    await waitFor(() => settled || leftovers().length > 0, `the temporary of ${op} '${target}'`, HANG_MS, 2);
  } else {
    await new Promise((done) => setTimeout(done, moment));
  }
  client.process.kill('SIGKILL');
  // Reaped, so the new serve sees the pid in the temporaries' names as dead.
  await client.process.exited;
  await client.shutdown();
  return outcome;
}

/** After a new serve started: nothing half-made anywhere, the target absent or whole, the source unchanged. */
async function check(client: HelperClient, op: Op, src: Source, target: string, where: string): Promise<boolean> {
  assert.deepStrictEqual(leftovers(), [], `${where}: hidden temporaries left`);
  assert.equal(await sha256(join(vmsDir(), src.name, 'disk.img')), src.diskHash, `${where}: the source disk changed`);
  assert.equal(readFileSync(join(vmsDir(), src.name, 'config.json'), 'utf8'), src.config, `${where}: the source config changed`);
  const dir = targetDir(op, src.name, target);
  const present = existsSync(dir);
  if (op === 'clone') {
    const listed = (await client.listVms()).vms.some((vm) => vm.name === target);
    assert.equal(listed, present, `${where}: listed ${listed} but on disk ${present}`);
    if (present) {
      const vm = await client.getVm(target);
      assert.equal(vm.state, 'stopped', where);
      assert.notEqual(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).macAddress, JSON.parse(src.config).macAddress, where);
    }
  } else {
    const list = await client.listSnapshots(src.name);
    const listed = list.snapshots.some((snap) => snap.name === target);
    assert.equal(listed, present, `${where}: listed ${listed} but on disk ${present}`);
    assert.deepStrictEqual(list.problems, [], where);
    if (present) assert.equal(readFileSync(join(dir, 'config.json'), 'utf8'), src.config, `${where}: the snapshot's config`);
  }
  if (present) assert.equal(await sha256(join(dir, 'disk.img')), src.diskHash, `${where}: the copy is not whole`);
  return present;
}

/** Removes a finished target, so the next run copies into the same amount of free space. */
async function removeTarget(client: HelperClient, op: Op, src: string, target: string): Promise<void> {
  if (op === 'clone') await client.deleteVm(target);
  else await client.deleteSnapshot(src, target);
}

test('kill -9 of serve during clone and snapshot of a stopped VM leaves the copy absent or whole, and no temporaries', async (t: TestContext) => {
  t.diagnostic(`seed ${seed} (replay with VMTUI_KILL_SEED=${seed})`);
  const kernel = join(s.home.home, 'vmlinuz');
  writeFileSync(kernel, 'not really a kernel'); // nothing boots in this test
  let client = await s.connect();
  await client.createVm({ name: 'src', cpuCount: 1, memoryBytes: 64 * MiB, diskBytes: DATA_BYTES, boot: { kind: 'kernel', kernel, cmdline: '' } });
  await fillDisk(join(vmsDir(), 'src', 'disk.img'), DATA_BYTES);
  const src = await source('src');

  // Unkilled runs of each say how long the copy takes here.
  const took: Record<Op, number> = { clone: (await measure(client, 'clone', src))[0], snapshot: (await measure(client, 'snapshot', src))[0] };
  t.diagnostic(`${DATA_BYTES / MiB} MiB: clone took ${took.clone.toFixed(0)} ms, snapshot ${took.snapshot.toFixed(0)} ms`);

  const outcomes: string[] = [];
  for (let run = 0; run < STOPPED_RUNS; run++) {
    const op: Op = run % 2 === 0 ? 'clone' : 'snapshot';
    const target = `${op}-${run}`;
    // The first half at random moments, the rest as soon as the temporary exists.
    const onTemporary = run >= STOPPED_RUNS / 2;
    const fraction = random();
    const delay = Math.round(fraction * took[op]);
    const answered = await killDuring(client, op, 'src', target, onTemporary ? 'temporary' : delay);
    const killedMidway = leftovers().length; // what the new serve must clean
    client = await s.connect();
    const when = onTemporary ? 'when its temporary appeared' : `after ${delay} ms (${fraction.toFixed(3)} of ${took[op].toFixed(0)} ms)`;
    const where = `seed ${seed}, run ${run}: ${op} killed ${when}`;
    if (onTemporary) {
      assert.ok(killedMidway > 0, `${where}: the kill came after the copy ended (${answered}); a ${DATA_BYTES / MiB} MiB copy should take longer`);
    }
    const present = await check(client, op, src, target, where);
    if (answered === 'answered') assert.equal(present, true, `${where}: answered, so it must exist`);
    assert.equal((await client.getVm('src')).state, 'stopped', `${where}: the source is free to start`);
    if (present) await removeTarget(client, op, 'src', target);
    outcomes.push(`${run}:${op}@${onTemporary ? 'temporary' : `${delay}ms`}→${present ? 'whole' : 'absent'}${killedMidway ? ' (temporary cleaned)' : ''}`);
  }
  t.diagnostic(outcomes.join(', '));
  await client.shutdown();
});

test('kill -9 of serve while a running guest is paused for its clone: the guest can run on', async (t: TestContext) => {
  t.diagnostic(`seed ${seed} (replay with VMTUI_KILL_SEED=${seed})`);
  let client = await s.connect();
  await client.createVm(guestParams('live', { diskBytes: DATA_BYTES }));
  await fillDisk(join(vmsDir(), 'live', 'disk.img'), DATA_BYTES);
  const src = await source('live');
  await client.startVm('live');

  const [took, answer] = await measure(client, 'clone', src);
  assert.equal((answer as VMCloneResult).pausedForClone, true);
  assert.equal((await client.getVm('live')).state, 'running', 'an unkilled clone resumes its source');
  t.diagnostic(`clone of the running VM took ${took.toFixed(0)} ms`);

  for (let run = 0; run < RUNNING_RUNS; run++) {
    const target = `live-${run}`;
    // One at a random moment, one while the disk is copied (the guest paused).
    const onTemporary = run === RUNNING_RUNS - 1;
    const fraction = random();
    const delay = Math.round(fraction * took);
    const answered = await killDuring(client, 'clone', 'live', target, onTemporary ? 'temporary' : delay);
    const killedMidway = leftovers().length;
    client = await s.connect();
    const when = onTemporary ? 'when its temporary appeared' : `after ${delay} ms (${fraction.toFixed(3)} of ${took.toFixed(0)} ms)`;
    const where = `seed ${seed}, running run ${run}: clone killed ${when}`;
    if (onTemporary) assert.ok(killedMidway > 0, `${where}: the kill came after the copy ended (${answered})`);
    const present = await check(client, 'clone', src, target, where);
    // The serve that paused it is gone; the guest is running, or paused and resumable.
    const state = (await client.getVm('live')).state;
    assert.ok(state === 'running' || state === 'paused', `${where}: the source is ${state}`);
    if (state === 'paused') assert.equal((await client.resumeVm('live')).state, 'running', where);
    const console = await ConsoleWatch.attach(client, 'live', false);
    try {
      await console.ready();
    } finally {
      console.dispose();
    }
    if (present) await client.deleteVm(target);
    t.diagnostic(`${run}: clone@${onTemporary ? 'temporary' : `${delay}ms`}→${present ? 'whole' : 'absent'}${killedMidway ? ' (temporary cleaned)' : ''}, source was ${state}`);
  }
  await client.stopVm({ name: 'live', force: true });
  await client.shutdown();
});
