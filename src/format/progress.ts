// Download and install progress as text, shared by the wizard's progress screen and the CLI.
import type { CopyProgressParams, ImageProgressParams, InstallProgressParams, IpswProgressParams } from '../rpc/protocol.js';
import { formatBytes } from './vm.js';

export function clampFraction(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
}

/** A bar of exactly `width` cells; the filled part never leaves 0 … width. */
export function progressBar(fraction: number, width: number): string {
  const cells = Math.max(0, Math.floor(width));
  const filled = Math.round(clampFraction(fraction) * cells);
  return '█'.repeat(filled) + '░'.repeat(cells - filled);
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** "45 s", "2 min 30 s", "1 h 5 min"; unknown when the helper cannot tell yet. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return 'time left unknown';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s left`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s left`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min left`;
}

export function downloadFraction(p: IpswProgressParams): number | undefined {
  return p.totalBytes && p.totalBytes > 0 ? clampFraction(p.receivedBytes / p.totalBytes) : undefined;
}

const phaseWords: Record<IpswProgressParams['phase'], string> = {
  connecting: 'Connecting',
  downloading: 'Downloading',
  verifying: 'Checking the SHA-256 digest',
};

/** "Downloading · 45% · 5.9 GiB of 13.4 GiB · 52.1 MiB/s · 2 min 30 s left". */
export function downloadLine(p: IpswProgressParams): string {
  const fraction = downloadFraction(p);
  const parts = [phaseWords[p.phase]];
  if (fraction !== undefined) parts.push(`${Math.floor(fraction * 100)}%`);
  parts.push(p.totalBytes ? `${formatBytes(p.receivedBytes)} of ${formatBytes(p.totalBytes)}` : `${formatBytes(p.receivedBytes)}`);
  if (p.phase === 'downloading') parts.push(formatRate(p.bytesPerSecond), formatEta(p.etaSeconds));
  return parts.join(' · ');
}

/** "Installing macOS · 37% · installing". */
export function installLine(p: Pick<InstallProgressParams, 'fraction' | 'phase'>): string {
  return `Installing macOS · ${Math.floor(clampFraction(p.fraction) * 100)}% · ${p.phase}`;
}

/** vm/create {image}: "Importing the image · 37% · 1.0 GiB of 2.0 GiB · 310 MiB/s · 4 s left". */
export function imageLine(p: ImageProgressParams): string {
  if (p.phase !== 'importing') {
    return downloadLine({ url: '', phase: p.phase, receivedBytes: p.doneBytes, totalBytes: p.totalBytes, bytesPerSecond: p.bytesPerSecond, etaSeconds: p.etaSeconds });
  }
  const parts = ['Importing the image'];
  if (p.totalBytes) parts.push(`${Math.floor(clampFraction(p.doneBytes / p.totalBytes) * 100)}%`, `${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)}`);
  parts.push(formatRate(p.bytesPerSecond), formatEta(p.etaSeconds));
  return parts.join(' · ');
}

const copyWords: Record<CopyProgressParams['operation'], string> = {
  clone: 'Copying the disk for the clone',
  snapshot: 'Copying the disk for the snapshot',
  restore: 'Copying the snapshot back',
};

/** vm/clone, snapshot/create|restore: "Copying the disk for the clone · 37% · 1.0 GiB of 2.7 GiB · 310 MiB/s · 4 s left". */
export function copyLine(p: CopyProgressParams): string {
  const fraction = p.totalBytes > 0 ? clampFraction(p.doneBytes / p.totalBytes) : 0;
  return [copyWords[p.operation], `${Math.floor(fraction * 100)}%`, `${formatBytes(p.doneBytes)} of ${formatBytes(p.totalBytes)}`,
    formatRate(p.bytesPerSecond), formatEta(p.etaSeconds)].join(' · ');
}

/** What a stopped copy left: nothing (the helper removes it and resumes a source it paused). */
export function copyStoppedSentence(operation: CopyProgressParams['operation'], vm: string, name: string): string {
  switch (operation) {
    case 'clone':
      return `Stopped cloning VM '${vm}'; no VM '${name}' was made and nothing of the copy is left.`;
    case 'snapshot':
      return `Stopped making snapshot '${name}' of VM '${vm}'; no snapshot was made and nothing of the copy is left.`;
    case 'restore':
      return `Stopped restoring VM '${vm}' to snapshot '${name}'; the VM's files are as they were.`;
  }
}
