import { Box, Text } from 'ink';
import type { VMInfo, VMProblem } from '../../rpc/protocol.js';
import { clampLines, truncate, wrapWords } from '../format.js';
import { toneColor, type Theme } from '../theme.js';
import { stateTone, vmCells, type VmCells } from '../vmFormat.js';

export interface Column {
  key: keyof VmCells;
  title: string;
  width: number;
}

/** The selection marker's width, before the name. */
export const MARKER_WIDTH = 2;

const MIN_NAME_WIDTH = 12;
/** Columns dropped first when the terminal is narrow. */
const dropOrder: (keyof VmCells)[] = ['address', 'disk', 'cpus', 'memory'];

/** Column widths for the table; the name column takes what the others leave. */
export function vmColumns(width: number): Column[] {
  let fixed: Column[] = [
    { key: 'state', title: 'STATE', width: 15 },
    { key: 'cpus', title: 'CPUS', width: 5 },
    { key: 'memory', title: 'MEMORY', width: 10 },
    { key: 'disk', title: 'DISK', width: 11 },
    { key: 'address', title: 'ADDRESS', width: 16 },
  ];
  const used = () => MARKER_WIDTH + fixed.reduce((sum, c) => sum + c.width, 0);
  for (const key of dropOrder) {
    if (width - used() >= MIN_NAME_WIDTH) break;
    fixed = fixed.filter((c) => c.key !== key);
  }
  return [{ key: 'name', title: 'NAME', width: Math.max(MIN_NAME_WIDTH, width - used()) }, ...fixed];
}

/** Which rows fit: a window of `room` rows that keeps the selected row in view. */
export function visibleRange(count: number, selected: number, room: number): { start: number; end: number } {
  const size = Math.max(1, room);
  if (count <= size) return { start: 0, end: count };
  // Scrolled just enough that the selected row is the last one shown.
  const start = Math.min(Math.max(0, selected - size + 1), count - size);
  return { start, end: start + size };
}

const emptyMessage = "No VMs yet. Create one from a shell with 'vmtui create NAME --kernel PATH' (or --iso PATH).";

export interface VmTableProps {
  width: number;
  /** Rows available for VM lines (the heading and problems come on top). */
  height?: number;
  theme: Theme;
  vms: VMInfo[];
  problems?: VMProblem[];
  pending?: Record<string, string>;
  selected?: string;
  loading?: boolean;
}

export function VmTable({ width, height, theme, vms, problems = [], pending = {}, selected, loading }: VmTableProps) {
  const columns = vmColumns(width);
  const part = (cols: Column[], cells: Record<keyof VmCells, string>) =>
    cols.map((c) => truncate(cells[c.key], c.width - 1).padEnd(c.width)).join('');
  const heading = Object.fromEntries(columns.map((c) => [c.key, c.title])) as Record<keyof VmCells, string>;
  // The state cell gets its own colour, so the row is split around it.
  const [nameColumn, stateColumn, ...rest] = columns as [Column, Column, ...Column[]];
  const selectedIndex = Math.max(0, vms.findIndex((vm) => vm.name === selected));
  const { start, end } = visibleRange(vms.length, selectedIndex, height ?? vms.length);
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{(' '.repeat(MARKER_WIDTH) + part(columns, heading)).trimEnd()}</Text>
      {vms.length === 0
        ? wrapWords(loading ? 'Loading VMs…' : emptyMessage, width).map((text) => (
            <Text key={text} color={theme.muted}>
              {text}
            </Text>
          ))
        : vms.slice(start, end).map((vm) => {
            const isSelected = vm.name === selected;
            const cells = vmCells(vm, pending[vm.name]);
            const tone = pending[vm.name] ? 'busy' : stateTone(vm.state);
            return (
              <Text key={vm.name} bold={isSelected} inverse={isSelected && theme.accent !== undefined}>
                {isSelected ? '› ' : '  '}
                {part([nameColumn], cells)}
                <Text color={toneColor(theme, tone)}>{part([stateColumn], cells)}</Text>
                {part(rest, cells).trimEnd()}
              </Text>
            );
          })}
      {problems.flatMap((p) =>
        clampLines(wrapWords(`! VM '${p.name}' cannot be read: ${p.message}`, width), 2, width).map((text, i) => (
          <Text key={`${p.name}-${i}`} color={theme.warning}>
            {text}
          </Text>
        )),
      )}
    </Box>
  );
}
