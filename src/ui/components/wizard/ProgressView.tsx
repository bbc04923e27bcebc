// The wizard's long steps: creating, starting, downloading (bar, bytes, rate, ETA, phase) and
// installing, the question before a download or install is stopped, and the closing sentence.
import { Box, Text } from 'ink';
import type { IpswProgressParams } from '../../../rpc/protocol.js';
import { wrapWords } from '../../../format/text.js';
import { Command } from '../../keys.js';
import { labels, questionLines, type DialogLine } from '../DialogBox.js';
import { clampFraction, downloadFraction, downloadLine, imageLine, installLine, progressBar } from '../../../format/progress.js';
import type { Theme } from '../../theme.js';
import type { Job } from '../../wizardState.js';


export interface ProgressViewProps {
  width: number;
  theme: Theme;
  job: Job;
  /** The VM's name, and what is being downloaded. */
  name: string;
  what: string;
}

function Bar({ width, theme, fraction, text }: { width: number; theme: Theme; fraction: number | undefined; text: string }) {
  const percent = fraction === undefined ? '' : ` ${String(Math.floor(clampFraction(fraction) * 100)).padStart(3)}%`;
  const bar = progressBar(fraction ?? 0, Math.max(10, width - percent.length));
  return (
    <>
      <Text color={theme.accent}>
        {bar}
        {percent}
      </Text>
      {wrapWords(text, width).map((line, i) => (
        <Text key={i}>{line}</Text>
      ))}
    </>
  );
}

const waiting: IpswProgressParams = { url: '', phase: 'connecting', receivedBytes: 0, totalBytes: null, bytesPerSecond: 0, etaSeconds: null };

export function ProgressView({ width, theme, job, name, what }: ProgressViewProps) {
  const stopHint = `${labels(Command.WizardBack)} or ${labels(Command.WizardLeave)} stops it (asks first).`;
  switch (job.kind) {
    case 'creating':
      return <Text>Creating VM '{name}'…</Text>;
    case 'starting':
      return <Text>Starting VM '{name}'…</Text>;
    case 'importing': {
      const p = job.image ?? { name, phase: 'connecting', doneBytes: 0, totalBytes: null, bytesPerSecond: 0, etaSeconds: null };
      const fraction = p.totalBytes ? p.doneBytes / p.totalBytes : undefined;
      return (
        <Box flexDirection="column">
          <Text bold>Creating VM '{name}' from {what}</Text>
          <Bar width={width} theme={theme} fraction={fraction} text={imageLine(p)} />
          <Text color={theme.muted}>{job.stopping ? 'Stopping…' : stopHint}</Text>
        </Box>
      );
    }
    case 'downloading': {
      const p = job.download ?? waiting;
      return (
        <Box flexDirection="column">
          <Text bold>Downloading {what}</Text>
          <Bar width={width} theme={theme} fraction={downloadFraction(p)} text={downloadLine(p)} />
          <Text color={theme.muted}>{job.stopping ? 'Stopping the download…' : stopHint}</Text>
        </Box>
      );
    }
    case 'installing': {
      const p = job.install ?? { fraction: 0, phase: 'starting' };
      return (
        <Box flexDirection="column">
          <Text bold>Installing macOS into VM '{name}'</Text>
          <Bar width={width} theme={theme} fraction={p.fraction} text={installLine(p)} />
          <Text color={theme.muted}>{job.stopping ? 'Stopping the installation…' : stopHint}</Text>
        </Box>
      );
    }
  }
}

export function cancelQuestionLines(job: Job, name: string, width: number): DialogLine[] {
  const question =
    job.kind === 'installing'
      ? `Stop installing macOS into VM '${name}'? The VM is kept, but without a system.`
      : job.kind === 'importing'
        ? `Stop creating VM '${name}'? No VM is made; a download keeps what arrived, and creating it again resumes from it.`
        : 'Stop the download? What has been downloaded so far is kept, and the next download of this image resumes from it.';
  return questionLines([question], 'stop', width, 'keep going');
}

export function startQuestionLines(name: string, width: number, image = false): DialogLine[] {
  const follow = image ? 'watch it boot' : 'follow the installer';
  return questionLines([`Created VM '${name}'. Start it now and open its console to ${follow}?`], 'start', width, 'not now');
}
