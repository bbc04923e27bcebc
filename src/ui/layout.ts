// Which dashboard columns show at a given width, and how wide each is. Pure: tests call it for
// every width. Columns drop in one fixed priority order, so a narrower terminal never shows a
// less important column while hiding a more important one, and the widths never exceed the line.

export type ColumnKey = 'name' | 'os' | 'state' | 'cpu' | 'memory' | 'disk' | 'address' | 'uptime';

export interface Column {
  key: ColumnKey;
  title: string;
  width: number;
}

export interface TableLayout {
  columns: Column[];
  /** Cells of CPU sparkline inside the CPU column; 0 when only the percentage fits. */
  sparkWidth: number;
}

/** The selection marker before the name. */
export const MARKER_WIDTH = 2;

/** Left to right, as the table shows them. */
export const TABLE_ORDER: ColumnKey[] = ['name', 'os', 'state', 'cpu', 'memory', 'disk', 'address', 'uptime'];
/** Most important first; the last shown column is the first to go. */
export const COLUMN_PRIORITY: ColumnKey[] = ['name', 'state', 'cpu', 'memory', 'address', 'uptime', 'disk', 'os'];

export const COLUMN_TITLES: Record<ColumnKey, string> = {
  name: 'NAME',
  os: 'OS',
  state: 'STATE',
  cpu: 'CPU',
  memory: 'MEMORY',
  disk: 'DISK',
  address: 'ADDRESS',
  uptime: 'UPTIME',
};

// Each width includes one space of gap after the cell.
const FIXED_WIDTH: Record<Exclude<ColumnKey, 'name' | 'cpu'>, number> = {
  os: 7,
  state: 15,
  memory: 10,
  disk: 10,
  address: 16,
  uptime: 9,
};
const NAME_MIN = 12;
const NAME_COMFORT = 20;
const NAME_MAX = 40;
/** "1600% " before the sparkline (% of one core passes 1000 with many vCPUs). */
export const CPU_TEXT_WIDTH = 6;
const SPARK_MIN = 6;
const SPARK_MAX = 30;

function widthOf(key: ColumnKey, spark: number): number {
  if (key === 'name') return NAME_MIN;
  if (key === 'cpu') return spark > 0 ? CPU_TEXT_WIDTH + spark + 1 : CPU_TEXT_WIDTH;
  return FIXED_WIDTH[key];
}

export function tableLayout(width: number): TableLayout {
  const shown = [...COLUMN_PRIORITY];
  let spark = SPARK_MIN;
  const total = () => MARKER_WIDTH + shown.reduce((sum, key) => sum + widthOf(key, spark), 0);
  while (shown.length > 2 && total() > width) {
    // The sparkline goes before the CPU figure itself.
    if (shown.at(-1) === 'cpu' && spark > 0) spark = 0;
    else shown.pop();
  }
  if (!shown.includes('cpu')) spark = 0;
  let extra = width - total();
  let name = NAME_MIN;
  const grow = (room: number) => {
    const by = Math.max(0, Math.min(extra, room));
    extra -= by;
    return by;
  };
  name += grow(NAME_COMFORT - name);
  if (spark > 0) spark += grow(SPARK_MAX - spark);
  name += grow(NAME_MAX - name);
  // Narrower than the name and state together: the name gives way (cells are cut, rows never wrap).
  if (extra < 0) name = Math.max(4, name + extra);
  const columns = TABLE_ORDER.filter((key) => shown.includes(key)).map((key) => ({
    key,
    title: COLUMN_TITLES[key],
    width: key === 'name' ? name : widthOf(key, spark),
  }));
  return { columns, sparkWidth: spark };
}

/** Which rows fit: a window of `room` rows that keeps the selected row in view. */
export function visibleRange(count: number, selected: number, room: number): { start: number; end: number } {
  const size = Math.max(1, room);
  if (count <= size) return { start: 0, end: count };
  // Scrolled just enough that the selected row is the last one shown.
  const start = Math.min(Math.max(0, selected - size + 1), count - size);
  return { start, end: start + size };
}
