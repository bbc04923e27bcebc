// One VM in depth: CPU and memory graphs over the last minutes, its configuration, snapshots,
// address with the ssh command, recent events and the console's last lines. Pure: the app hands
// in the data and the console's lines.
import { Box, Text } from 'ink';
import type { StateChangedParams, VMInfo, VMStats } from '../../rpc/protocol.js';
import { blockGraph, lastSamples } from '../charts.js';
import { clampLines, formatPercent, formatUptime, plural, truncate } from '../../format/text.js';
import type { SnapshotCount } from '../hooks/useSnapshotCount.js';
import { HISTORY_SECONDS } from '../statsHistory.js';
import { toneColor, type Theme } from '../theme.js';
import { describeBoot, formatBytes, sshAdvice, sshSummary, stateTone, vmStateLabel } from '../../format/vm.js';
import { eventText } from '../../format/event.js';
import { featureRows } from '../../format/shares.js';

export interface DetailLayout {
  sideBySide: boolean;
  /** Rows of each graph; 0 hides the graphs (a very short terminal). */
  graphRows: number;
  eventRows: number;
  consoleRows: number;
}

const FACT_LINES = 5; // stats, configuration, boot, snapshots, address
const MIN_CONSOLE = 2;
const MAX_GRAPH = 8;
const MAX_EVENTS = 3;

/**
 * How the detail screen splits `height` rows: graphs first (when there is history to draw), then
 * events, the console the rest.
 */
export function detailLayout(width: number, height: number, eventCount = MAX_EVENTS, graphs = true): DetailLayout {
  const sideBySide = width >= 100;
  const blocks = sideBySide ? 1 : 2;
  const left = height - 1 - FACT_LINES - 1; // title, facts, console heading
  let graphRows = Math.min(MAX_GRAPH, Math.floor((left - MIN_CONSOLE - 1) / blocks) - 1);
  if (graphRows < 2 || !graphs) graphRows = 0;
  const remaining = left - (graphRows > 0 ? blocks * (graphRows + 1) : 0);
  const eventRows = Math.max(1, Math.min(MAX_EVENTS, eventCount, remaining - MIN_CONSOLE));
  return { sideBySide, graphRows, eventRows, consoleRows: Math.max(1, remaining - eventRows) };
}

export interface DetailViewProps {
  width: number;
  height: number;
  theme: Theme;
  vm: VMInfo;
  pending?: string;
  latest?: VMStats;
  /** Raw history, oldest first (% of one core; resident bytes). */
  cpu: readonly number[];
  memory: readonly number[];
  /** How many samples HISTORY_SECONDS is at the current interval. */
  historySamples: number;
  intervalMs: number;
  /** Why there are no live figures, when there are none. */
  statsNote?: string;
  snapshots: SnapshotCount;
  /** This VM's state changes, newest first. */
  events: readonly StateChangedParams[];
  /** The console's last `rows` lines at `width`. */
  consoleLines(rows: number, width: number): string[];
  consoleNote?: string;
}

const LABEL = 11;

function fact(label: string, text: string, width: number): string {
  return truncate(label.padEnd(LABEL) + text, width);
}

/** Words wrapped to `width`; a word longer than a line (a path) fills the line and goes on below. */
export function wrapLong(text: string, width: number): string[] {
  const lines: string[] = [];
  for (let word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) {
      lines[lines.length - 1] = `${last} ${word}`;
      continue;
    }
    if (word.length > width && last !== undefined && width - last.length - 1 >= 8) {
      const room = width - last.length - 1;
      lines[lines.length - 1] = `${last} ${word.slice(0, room)}`;
      word = word.slice(room);
    }
    for (; word.length > width; word = word.slice(width)) lines.push(word.slice(0, width));
    lines.push(word);
  }
  return lines;
}

/** A fact that may take up to `max` lines (boot paths, the ssh command), indented under its label. */
export function factLines(label: string, text: string, width: number, max: number): string[] {
  const room = Math.max(10, width - LABEL);
  return clampLines(wrapLong(text, room), max, room).map((line, i) => (i === 0 ? label : '').padEnd(LABEL) + line);
}

export function snapshotText(snapshots: SnapshotCount): string {
  switch (snapshots.status) {
    case 'loading':
      return 'reading…';
    case 'failed':
      return `unknown: ${snapshots.error}`;
    case 'ready':
      return snapshots.count === 0 ? 'none' : `${snapshots.count}${snapshots.current ? ` (current: ${snapshots.current})` : ''}`;
  }
}

export function addressText(vm: VMInfo, latest: VMStats | undefined): string {
  const summary = vm.hostPid === undefined ? undefined : sshSummary(vm);
  if (summary) return `${summary} (h opens it here)`;
  const ssh = latest?.sshAddress ?? vm.sshAddress;
  if (ssh) return `${sshAdvice(ssh)} · ${ssh} forwards to the guest's port 22`;
  const ip = latest?.address;
  if (ip) return `${sshAdvice(ip.ip)} · ${ip.ip} seen ${ip.ageSeconds}s ago (${ip.source})`;
  return vm.hostPid === undefined ? '— (not running)' : '— (not seen on the network yet)';
}

export function DetailView(props: DetailViewProps) {
  const { width, height, theme, vm, pending, latest, cpu, memory, historySamples, statsNote, snapshots, events } = props;
  const disk = `disk ${formatBytes(latest && latest.error === undefined ? latest.diskAllocatedBytes : vm.diskAllocatedBytes)} of ${formatBytes(vm.diskBytes)}`;
  const configLines = factLines('Config', `${plural(vm.cpuCount, 'CPU')} · ${formatBytes(vm.memoryBytes)} memory · ${disk} · MAC ${vm.macAddress}`, width, 2);
  const bootLines = factLines('Boot', describeBoot(vm.boot), width, 3);
  const addressLines = factLines('Address', addressText(vm, latest), width, 2);
  // Shares, Rosetta, nested, keyboard: only what is set, a few lines at most.
  const featureLines = featureRows(vm).flatMap(([label, text]) => factLines(label, text, width, 2)).slice(0, 6);
  // Facts past their first line come out of the console's rows.
  const extraLines = configLines.length + bootLines.length + addressLines.length - 3 + featureLines.length;
  const layout = detailLayout(width, height - extraLines, events.length, cpu.length > 0);
  const minutes = Math.round(HISTORY_SECONDS / 60);
  const measured = latest && latest.error === undefined ? latest : undefined;
  const uptime = latest ? ` · up ${formatUptime(latest.uptimeSeconds)}` : '';
  const graphWidth = layout.sideBySide ? Math.floor((width - 2) / 2) : width;
  const cpuTitle = `CPU ${measured ? formatPercent(measured.cpuPercent) : '—'} of one core · top: ${plural(vm.cpuCount, 'vCPU')} busy · ${minutes} min`;
  const memTitle = `Memory ${measured ? formatBytes(measured.residentBytes) : '—'} of ${formatBytes(vm.memoryBytes)} · ${minutes} min`;
  const cpuGraph = blockGraph(lastSamples(cpu, historySamples), graphWidth, layout.graphRows, 100 * Math.max(1, vm.cpuCount));
  const memGraph = blockGraph(lastSamples(memory, historySamples), graphWidth, layout.graphRows, vm.memoryBytes);
  const graph = (title: string, rows: string[], color: string | undefined) => (
    <Box flexDirection="column" width={graphWidth}>
      <Text bold>{truncate(title, graphWidth)}</Text>
      {rows.map((row, i) => (
        <Text key={i} color={color}>
          {row}
        </Text>
      ))}
    </Box>
  );
  const statsLine = measured
    ? `every ${(props.intervalMs / 1000).toFixed(1)} s${measured.vmPid !== undefined ? ` · guest process ${measured.vmPid}` : ''}`
    : (latest?.error ?? (vm.hostPid === undefined ? 'none while the VM is not running' : (statsNote ?? 'waiting for the first sample…')));
  const eventLines = events.length === 0 ? ['none this session'] : events.slice(0, layout.eventRows).map((e) => eventText(e) + (e.reason ? ` — ${e.reason}` : ''));
  const consoleHeading = props.consoleNote ?? (vm.hostPid === undefined ? 'not running; s on the dashboard starts it' : 'c opens it');
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold color={theme.accent}>
          {vm.name}
        </Text>
        {'  '}
        <Text color={toneColor(theme, pending ? 'busy' : stateTone(vm.state))}>{vmStateLabel(vm, pending)}</Text>
        {`  ${vm.os} ${vm.arch}${uptime}${vm.stateReason ? ` · ${vm.stateReason}` : ''}`}
      </Text>
      {layout.graphRows > 0 ? (
        <Box flexDirection={layout.sideBySide ? 'row' : 'column'} columnGap={2}>
          {graph(cpuTitle, cpuGraph, theme.accent)}
          {graph(memTitle, memGraph, theme.success)}
        </Box>
      ) : null}
      <Text wrap="truncate" color={measured ? undefined : theme.warning}>
        {fact('Stats', statsLine, width)}
      </Text>
      {configLines.map((line, i) => (
        <Text key={`c${i}`} wrap="truncate">
          {line}
        </Text>
      ))}
      {bootLines.map((line, i) => (
        <Text key={`b${i}`} wrap="truncate">
          {line}
        </Text>
      ))}
      {featureLines.map((line, i) => (
        <Text key={`f${i}`} wrap="truncate">
          {line}
        </Text>
      ))}
      <Text wrap="truncate">{fact('Snapshots', snapshotText(snapshots), width)}</Text>
      {addressLines.map((line, i) => (
        <Text key={`a${i}`} wrap="truncate">
          {line}
        </Text>
      ))}
      {eventLines.slice(0, layout.eventRows).map((line, i) => (
        <Text key={i} wrap="truncate" color={theme.muted}>
          {fact(i === 0 ? 'Events' : '', line, width)}
        </Text>
      ))}
      <Text wrap="truncate">{fact('Console', consoleHeading, width)}</Text>
      {props.consoleLines(layout.consoleRows, width).map((line, i) => (
        <Text key={i} wrap="truncate">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  );
}
