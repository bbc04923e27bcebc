// How a snapshot tree reads, shared by the TUI screen and the CLI: the walk order with depths,
// ages ("3 h ago"), and the sentences the screen's questions ask.
import type { CloneStrategy, SnapshotInfo, SnapshotListResult } from '../rpc/protocol.js';

export interface TreeRow {
  snap: SnapshotInfo;
  depth: number;
}

/** Roots first, each followed by its children (oldest first), depth-first. */
export function snapshotOrder(result: SnapshotListResult): TreeRow[] {
  const byName = new Map(result.snapshots.map((s) => [s.name, s]));
  const seen = new Set<string>();
  const rows: TreeRow[] = [];
  const walk = (snap: SnapshotInfo, depth: number) => {
    if (seen.has(snap.name)) return;
    seen.add(snap.name);
    rows.push({ snap, depth });
    for (const child of snap.children) {
      const c = byName.get(child);
      if (c) walk(c, depth + 1);
    }
  };
  for (const root of result.snapshots.filter((s) => s.parent === null || !byName.has(s.parent))) walk(root, 0);
  // A hand-edited meta.json can make a loop with no root; such snapshots still show.
  for (const snap of result.snapshots) walk(snap, 0);
  return rows;
}

/** "just now", "12 min ago", "3 h ago", "5 d ago", then the date. */
export function formatAge(createdAt: string, now: number): string {
  const then = Date.parse(createdAt);
  if (Number.isNaN(then)) return '—';
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 60) return `${days} d ago`;
  return createdAt.slice(0, 10);
}

function quoted(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  return q.length <= 1 ? (q[0] ?? '') : `${q.slice(0, -1).join(', ')} and ${q.at(-1)}`;
}

/** What a restore keeps and what it throws away, said before it happens. */
export function restoreQuestion(vm: string, target: string, current: string | null, suspended: boolean): string[] {
  const discarded = current === null ? "the VM's current disk, which no snapshot holds" : `the VM's current disk state: every change since snapshot '${current}'`;
  const saved = suspended ? ', and its saved memory state' : '';
  return [
    `Restore VM '${vm}' to snapshot '${target}'? Its disk and settings go back to how they were then.`,
    `This discards ${discarded}${saved}. To keep that, answer no and make a snapshot first.`,
  ];
}

/** What a delete removes, and where its children go. */
export function deleteQuestion(vm: string, snap: SnapshotInfo): string[] {
  const lines = [`Delete snapshot '${snap.name}' of VM '${vm}'? Its files are removed; this cannot be undone.`];
  const one = snap.children.length === 1;
  if (snap.children.length > 0) {
    const where =
      snap.parent === null ? (one ? 'becomes a top-level snapshot' : 'become top-level snapshots') : `${one ? 'moves' : 'move'} up under '${snap.parent}'`;
    lines.push(`${one ? 'Its child' : 'Its children'} ${quoted(snap.children)} ${one ? 'is' : 'are'} kept and ${where}.`);
  }
  lines.push("The VM's own disk is not touched.");
  return lines;
}

/** How a copy was made, in words. */
export function strategyWords(strategy: CloneStrategy): string {
  switch (strategy) {
    case 'clonefile':
      return 'copy-on-write (clonefile)';
    case 'reflink':
      return 'copy-on-write (reflink)';
    case 'sparseCopy':
      return 'a full sparse copy (no copy-on-write on this file system)';
  }
}
