// The dashboard's rows as data: cells from VMInfo and the newest stats, sorting and filtering.
// Pure; the table component only lays these strings out.
import type { VMInfo, VMState } from '../rpc/protocol.js';
import { sparkline } from './charts.js';
import { CPU_TEXT_WIDTH, type ColumnKey } from './layout.js';
import type { VmStatsView } from './statsHistory.js';
import { compareText, formatPercent, formatUptime } from '../format/text.js';
import { formatCompact, vmStateLabel } from '../format/vm.js';

export interface VmRow {
  vm: VMInfo;
  stats?: VmStatsView;
  /** The request in flight for this VM ("stopping"), shown in place of the state. */
  pending?: string;
}

export type RowCells = Record<ColumnKey, string>;

/** A stopped VM has no live figures: a sample from before its stop is not shown, however recent. */
export function showsLiveFigures(state: VMState): boolean {
  return state !== 'stopped';
}

/** The address to reach the guest at: the SSH forward (QEMU), else the IP its host found. */
export function rowAddress(row: VmRow): string | undefined {
  const latest = row.stats?.latest;
  return latest?.sshAddress ?? latest?.address?.ip ?? row.vm.sshAddress;
}

export function rowCells(row: VmRow, sparkWidth: number): RowCells {
  const { vm, stats, pending } = row;
  const latest = stats?.latest;
  let cpu = '—';
  if (latest) {
    const figure = latest.error === undefined ? formatPercent(latest.cpuPercent) : '!';
    // The sparkline's full height is all of the VM's vCPUs busy.
    const spark = sparkWidth > 0 ? ' ' + sparkline(stats.cpu, sparkWidth, 100 * Math.max(1, vm.cpuCount)) : '';
    cpu = figure.padStart(CPU_TEXT_WIDTH - 1) + spark;
  }
  const used = latest && latest.error === undefined ? formatCompact(latest.residentBytes) : '—';
  return {
    name: vm.name,
    os: vm.os,
    state: vmStateLabel(vm, pending),
    cpu,
    memory: `${used}/${formatCompact(vm.memoryBytes)}`,
    disk: `${formatCompact(latest?.diskAllocatedBytes ?? vm.diskAllocatedBytes)}/${formatCompact(latest?.diskBytes ?? vm.diskBytes)}`,
    address: rowAddress(row) ?? '—',
    uptime: latest ? formatUptime(latest.uptimeSeconds) : '—',
  };
}

export interface SortOrder {
  key: ColumnKey;
  descending: boolean;
}

export const DEFAULT_SORT: SortOrder = { key: 'name', descending: false };

/** Figures read best biggest first; words alphabetically. */
const STARTS_DESCENDING = new Set<ColumnKey>(['cpu', 'memory', 'disk', 'uptime']);

// Running first, then the ones on their way, held, failed, and stopped last.
const STATE_RANK: Record<VMState, number> = {
  running: 0,
  starting: 1,
  resuming: 1,
  pausing: 1,
  stopping: 1,
  saving: 1,
  restoring: 1,
  installing: 1,
  restarting: 1,
  paused: 2,
  suspended: 2,
  error: 3,
  notAnswering: 3,
  stopped: 4,
};

function sortValue(row: VmRow, key: ColumnKey): number | string | undefined {
  const latest = row.stats?.latest;
  const measured = latest && latest.error === undefined ? latest : undefined;
  const finite = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n : undefined);
  switch (key) {
    case 'name':
      return row.vm.name;
    case 'os':
      return row.vm.os;
    case 'state':
      return STATE_RANK[row.vm.state];
    case 'cpu':
      return finite(measured?.cpuPercent);
    case 'memory':
      return finite(measured?.residentBytes);
    case 'disk':
      return latest?.diskAllocatedBytes ?? row.vm.diskAllocatedBytes;
    case 'address':
      return rowAddress(row);
    case 'uptime':
      return finite(latest?.uptimeSeconds);
  }
}

/** Sorted copy. Rows without a value (no stats yet) go last either way; ties go by name. */
export function sortRows(rows: readonly VmRow[], order: SortOrder): VmRow[] {
  const sign = order.descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, order.key);
    const y = sortValue(b, order.key);
    if (x !== y) {
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : compareText(String(x), String(y));
      if (c !== 0) return sign * c;
    }
    return compareText(a.vm.name, b.vm.name);
  });
}

/** The next column to sort by among those shown, in its natural direction. */
export function nextSort(order: SortOrder, shown: readonly ColumnKey[]): SortOrder {
  const at = shown.indexOf(order.key);
  const key = shown[(at + 1) % shown.length] ?? DEFAULT_SORT.key;
  return { key, descending: STARTS_DESCENDING.has(key) };
}

export function reverseSort(order: SortOrder): SortOrder {
  return { ...order, descending: !order.descending };
}

/** Rows whose name, OS, state or address contains the text (any case). */
export function filterRows(rows: readonly VmRow[], text: string): VmRow[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return [...rows];
  return rows.filter((row) =>
    [row.vm.name, row.vm.os, row.vm.state, rowAddress(row) ?? ''].some((field) => field.toLowerCase().includes(needle)),
  );
}

/** "▲"/"▼" after the sorted column's title, so the sort reads without colour. */
export function sortMark(order: SortOrder): string {
  return order.descending ? '▼' : '▲';
}
