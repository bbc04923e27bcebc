import { Box, Text } from 'ink';
import { formatGiB, truncate, wrapWords } from '../format.js';
import type { Theme } from '../theme.js';

export interface VmRow {
  name: string;
  state: string;
  cpuCount: number;
  memoryBytes: number;
}

export interface Column {
  title: string;
  width: number;
}

/** Column widths for the table; the name column takes what the others leave. */
export function vmColumns(width: number): Column[] {
  const fixed = [
    { title: 'STATE', width: 12 },
    { title: 'CPUS', width: 6 },
    { title: 'MEMORY', width: 10 },
  ];
  const used = fixed.reduce((sum, c) => sum + c.width, 0);
  return [{ title: 'NAME', width: Math.max(8, width - used) }, ...fixed];
}

function cells(row: VmRow): string[] {
  return [row.name, row.state, String(row.cpuCount), formatGiB(row.memoryBytes)];
}

const emptyMessage = 'No VMs yet. Creating VMs is not available in this version of vmtui.';

export interface VmTableProps {
  width: number;
  theme: Theme;
  vms: VmRow[];
}

export function VmTable({ width, theme, vms }: VmTableProps) {
  const columns = vmColumns(width);
  const line = (values: string[]) =>
    columns.map((c, i) => truncate(values[i] ?? '', c.width - 1).padEnd(c.width)).join('').trimEnd();
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>{line(columns.map((c) => c.title))}</Text>
      {vms.length === 0 ? (
        wrapWords(emptyMessage, width).map((text) => (
          <Text key={text} color={theme.muted}>
            {text}
          </Text>
        ))
      ) : (
        vms.map((vm) => <Text key={vm.name}>{line(cells(vm))}</Text>)
      )}
    </Box>
  );
}
