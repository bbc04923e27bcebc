import { Box, Text } from 'ink';
import type { VMProblem } from '../../rpc/protocol.js';
import { clampLines, truncate, wrapWords } from '../../format/text.js';
import { MARKER_WIDTH, tableLayout, visibleRange, type Column, type ColumnKey } from '../layout.js';
import { toneColor, type Theme } from '../theme.js';
import { stateTone } from '../../format/vm.js';
import { rowCells, sortMark, type SortOrder, type VmRow } from '../vmRows.js';

export const EMPTY_MESSAGE = "No VMs yet. Create one from a shell with 'vmtui create NAME --kernel PATH' (or --iso PATH).";

/** A cell cut to its column (one space always left as the gap) and padded to it. */
function cell(text: string, column: Column): string {
  return truncate(text, column.width - 1).padEnd(column.width);
}

/** The heading line, with ▲/▼ after the sorted column's title. */
export function headingText(columns: Column[], sort?: SortOrder): string {
  const titled = columns.map((c) => cell(sort?.key === c.key ? `${c.title} ${sortMark(sort)}` : c.title, c));
  return (' '.repeat(MARKER_WIDTH) + titled.join('')).trimEnd();
}

/** Cells that get a colour of their own. */
const COLOURED = new Set<ColumnKey>(['state', 'cpu']);

export interface VmTableProps {
  width: number;
  /** Rows available for VM lines (the heading and problems come on top). */
  height?: number;
  theme: Theme;
  /** Already sorted and filtered. */
  rows: VmRow[];
  sort?: SortOrder;
  problems?: VMProblem[];
  selected?: string;
  loading?: boolean;
  /** What to say when there are no rows (default: how to create a VM). */
  emptyText?: string;
}

export function VmTable({ width, height, theme, rows, sort, problems = [], selected, loading, emptyText }: VmTableProps) {
  const { columns, sparkWidth } = tableLayout(width);
  const selectedIndex = Math.max(0, rows.findIndex((row) => row.vm.name === selected));
  const { start, end } = visibleRange(rows.length, selectedIndex, height ?? rows.length);
  const last = columns.at(-1)?.key;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {headingText(columns, sort)}
      </Text>
      {rows.length === 0
        ? wrapWords(loading ? 'Loading VMs…' : (emptyText ?? EMPTY_MESSAGE), width).map((text) => (
            <Text key={text} color={theme.muted}>
              {text}
            </Text>
          ))
        : rows.slice(start, end).map((row) => {
            const isSelected = row.vm.name === selected;
            const cells = rowCells(row, sparkWidth);
            const tone = row.pending ? 'busy' : stateTone(row.vm.state);
            const colour = (key: ColumnKey) =>
              key === 'state' ? toneColor(theme, tone) : row.stats?.latest.error ? theme.warning : theme.accent;
            // Runs of plain cells share one Text; coloured cells get their own.
            const parts: { text: string; color?: string | undefined }[] = [{ text: isSelected ? '› ' : '  ' }];
            for (const column of columns) {
              let text = cell(cells[column.key], column);
              if (column.key === last) text = text.trimEnd();
              const tail = parts.at(-1);
              if (COLOURED.has(column.key)) parts.push({ text, color: colour(column.key) }, { text: '' });
              else if (tail) tail.text += text;
            }
            return (
              <Text key={row.vm.name} bold={isSelected} inverse={isSelected && theme.accent !== undefined} wrap="truncate">
                {parts.filter((p) => p.text !== '').map((p, i) => (
                  <Text key={i} color={p.color}>
                    {p.text}
                  </Text>
                ))}
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
