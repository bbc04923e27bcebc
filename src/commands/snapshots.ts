// `vmtui clone` and `vmtui snapshot create|list|restore|delete`: copy-on-write copies of a VM.
import type { HelperApi } from '../rpc/api.js';
import { HelperRequestError } from '../rpc/errors.js';
import type { CopyOperation, SnapshotListResult } from '../rpc/protocol.js';
import { copyLine, copyStoppedSentence } from '../format/progress.js';
import { snapshotOrder } from '../format/snapshot.js';
import { formatBytes } from '../format/vm.js';
import { flag, stringOption } from './args.js';
import { jsonOption, type Command } from './command.js';
import { Reporter, interruptible } from './createMac.js';
import { CommandError } from './exitCodes.js';
import { withClient, writeJson, type CommandIO } from './io.js';

/**
 * Runs one copying request: a progress line on a terminal (nothing extra with --json), Ctrl-C
 * cancels it. A copy-on-write clone is instant and shows no line.
 */
async function copying<T>(client: HelperApi, io: CommandIO, json: boolean, operation: CopyOperation, vm: string, name: string,
  run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const report = new Reporter(io, false);
  const listening = json ? undefined : client.onCopyProgress((p) => {
    if (p.operation === operation && p.vm === vm && p.name === name) report.progress('progress', {}, copyLine(p));
  });
  try {
    return await interruptible(run);
  } catch (error) {
    if (error instanceof HelperRequestError && error.kind === 'cancelled') throw new CommandError(copyStoppedSentence(operation, vm, name));
    throw error;
  } finally {
    report.endLine();
    listening?.dispose();
  }
}

export const cloneCommand: Command = {
  spec: {
    name: 'clone',
    positionals: ['SOURCE', 'TARGET'],
    options: jsonOption,
    summary: 'Make a copy-on-write clone that can run beside its source (new MAC and machine identity).',
    details: ['A running source is paused for the copy and resumed after it.',
      'Where the file system cannot clone, the data is copied with a progress line; Ctrl-C stops it and leaves nothing.'],
  },
  run: (args, io) =>
    withClient(io, async (client) => {
      const [source = '', target = ''] = args.positionals;
      const json = flag(args, 'json');
      const result = await copying(client, io, json, 'clone', source, target, (signal) => client.cloneVm(source, target, signal));
      if (json) return writeJson(io, result);
      const paused = result.pausedForClone ? ` ('${source}' was paused for the copy and resumed)` : '';
      io.stdout.write(`Cloned '${source}' to '${target}' by ${result.strategy}${paused}. Start it with 'vmtui start ${target}'.\n`);
    }),
};

/** The snapshot tree as indented lines, roots first; `*` marks the one the VM descends from. */
export function snapshotTree(result: SnapshotListResult): string {
  const lines = snapshotOrder(result).map(({ snap, depth }) => {
    const mark = snap.name === result.current ? '*' : ' ';
    const note = snap.note ? `  "${snap.note}"` : '';
    const state = snap.savedState ? '  +saved state' : '';
    return `${mark} ${'  '.repeat(depth)}${snap.name}  ${snap.createdAt}  ${formatBytes(snap.allocatedBytes)} used${state}${note}`;
  });
  if (lines.length === 0) lines.push(`VM '${result.vm}' has no snapshots yet; make one with 'vmtui snapshot create ${result.vm} NAME'.`);
  lines.push(`VM disk: ${formatBytes(result.vmSpace.allocatedBytes)} used; snapshots: ${formatBytes(result.snapshotsSpace.allocatedBytes)} used.`);
  return lines.join('\n') + '\n';
}

export const snapshotCreateCommand: Command = {
  spec: {
    name: 'snapshot create',
    positionals: ['VM', 'NAME'],
    options: { note: { value: 'TEXT', description: 'a note kept with the snapshot' }, ...jsonOption },
    summary: 'Snapshot a VM (a running VM is paused for the copy and resumed).',
  },
  run: (args, io) =>
    withClient(io, async (client) => {
      const [vm = '', name = ''] = args.positionals;
      const note = stringOption(args, 'note');
      const json = flag(args, 'json');
      const params = note === undefined ? { vm, name } : { vm, name, note };
      const snap = await copying(client, io, json, 'snapshot', vm, name, (signal) => client.createSnapshot(params, signal));
      if (json) return writeJson(io, snap);
      io.stdout.write(`Snapshot '${name}' of VM '${vm}' made by ${snap.strategy} (${formatBytes(snap.allocatedBytes)} used).\n`);
    }),
};

export const snapshotListCommand: Command = {
  spec: { name: 'snapshot list', positionals: ['VM'], options: jsonOption, summary: "Show a VM's snapshot tree with ages, notes and sizes." },
  run: (args, io) =>
    withClient(io, async (client) => {
      const result = await client.listSnapshots(args.positionals[0] ?? '');
      if (flag(args, 'json')) return writeJson(io, result);
      io.stdout.write(snapshotTree(result));
      for (const p of result.problems) io.stderr.write(`${p.name}: ${p.message}\n`);
    }),
};

export const snapshotRestoreCommand: Command = {
  spec: {
    name: 'snapshot restore',
    positionals: ['VM', 'NAME'],
    options: jsonOption,
    summary: "Return a stopped VM to a snapshot; the VM's current disk is discarded (snapshot it first to keep it).",
  },
  run: (args, io) =>
    withClient(io, async (client) => {
      const [vm = '', name = ''] = args.positionals;
      const json = flag(args, 'json');
      const result = await copying(client, io, json, 'restore', vm, name, (signal) => client.restoreSnapshot(vm, name, signal));
      if (json) return writeJson(io, result);
      io.stdout.write(`VM '${vm}' is back at snapshot '${name}'.\n`);
    }),
};

export const snapshotDeleteCommand: Command = {
  spec: { name: 'snapshot delete', positionals: ['VM', 'NAME'], options: {}, summary: 'Delete a snapshot; its children move up to its parent.' },
  run: (args, io) =>
    withClient(io, async (client) => {
      const [vm = '', name = ''] = args.positionals;
      await client.deleteSnapshot(vm, name);
      io.stdout.write(`Snapshot '${name}' of VM '${vm}' is deleted.\n`);
    }),
};
