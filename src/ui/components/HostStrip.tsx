// One line of live host figures under the header: CPU and memory bars, free disk, macOS slots.
// Before the first host/stats (or without them) it shows what host/info said, and why there is
// nothing live.
import { Box, Text } from 'ink';
import type { HostInfo, HostStatsParams } from '../../rpc/protocol.js';
import { bar, percentOf } from '../charts.js';
import { clampLines, formatGiB, formatPercent, wrapWords } from '../../format/text.js';
import type { Theme } from '../theme.js';

export interface HostSample {
  cpuPercent?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes: number;
  freeDiskBytes: number;
  macosSlots: { used: number; max: number; vms?: string[] } | null;
}

export function hostSample(info: HostInfo, stats?: HostStatsParams): HostSample {
  if (stats) return stats;
  return { memoryTotalBytes: info.memoryBytes, freeDiskBytes: info.freeDiskBytes, macosSlots: info.macosSlots };
}

export type Level = 'low' | 'high' | 'full';

export interface StripSegment {
  text: string;
  /** For bars: how full, so the colour can say it too. */
  level?: Level;
}

function levelOf(percent: number | undefined): Level {
  if (percent === undefined || percent < 70) return 'low';
  return percent < 90 ? 'high' : 'full';
}

const GAP = '  ';
const MIN_BAR = 3;
const MAX_BAR = 20;

/** The strip as segments that together fit `width`; the slots, then the disk, go first when narrow. */
export function hostStripSegments(width: number, sample: HostSample): StripSegment[] {
  const cpu = sample.cpuPercent;
  const memPercent = percentOf(sample.memoryUsedBytes, sample.memoryTotalBytes);
  const GiB = 1024 ** 3;
  const cpuText = cpu === undefined ? '—' : formatPercent(cpu);
  const memText =
    sample.memoryUsedBytes === undefined
      ? `— of ${formatGiB(sample.memoryTotalBytes)}`
      : `${(Math.max(0, sample.memoryUsedBytes) / GiB).toFixed(1)}/${formatGiB(sample.memoryTotalBytes)}`;
  const extras = [`${formatGiB(sample.freeDiskBytes)} free`];
  const slots = sample.macosSlots;
  if (slots) {
    const holders = slots.vms && slots.vms.length > 0 ? `: ${slots.vms.join(', ')}` : '';
    extras.push(`macOS ${slots.used}/${slots.max}${holders}`);
  }
  for (;;) {
    const fixed = `CPU  ${cpuText}${GAP}MEM  ${memText}`.length + extras.reduce((n, e) => n + GAP.length + e.length, 0);
    const barWidth = Math.min(MAX_BAR, Math.floor((width - fixed) / 2));
    if (barWidth >= MIN_BAR || extras.length === 0) {
      const w = Math.max(0, barWidth);
      const segments: StripSegment[] = [
        { text: 'CPU ' },
        { text: bar(cpu, w), level: levelOf(cpu) },
        { text: ` ${cpuText}${GAP}MEM ` },
        { text: bar(memPercent, w), level: levelOf(memPercent) },
        { text: ` ${memText}` },
        ...extras.map((text) => ({ text: GAP + text })),
      ];
      return segments;
    }
    extras.pop();
  }
}

export interface HostStripProps {
  width: number;
  theme: Theme;
  sample: HostSample;
  /** Why the figures are not live, as a sentence (shown under the strip). */
  note?: string;
}

/** Lines the strip takes: one, plus up to two for the note. */
export function hostStripHeight(width: number, note: string | undefined): number {
  return 1 + (note ? clampLines(wrapWords(note, width), 2, width).length : 0);
}

export function HostStrip({ width, theme, sample, note }: HostStripProps) {
  const colour = (level: Level | undefined) =>
    level === undefined ? undefined : level === 'full' ? theme.error : level === 'high' ? theme.warning : theme.success;
  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate">
        {hostStripSegments(width, sample).map((s, i) => (
          <Text key={i} color={colour(s.level)}>
            {s.text}
          </Text>
        ))}
      </Text>
      {note
        ? clampLines(wrapWords(note, width), 2, width).map((line, i) => (
            <Text key={i} color={theme.warning}>
              {line}
            </Text>
          ))
        : null}
    </Box>
  );
}
