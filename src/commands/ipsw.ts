// `vmtui ipsw latest|download|list|delete`: macOS restore images in the cache ($VMTUI_HOME/cache/ipsw).
import type { HelperApi } from '../rpc/api.js';
import { HelperGoneError, HelperRequestError } from '../rpc/errors.js';
import type { IpswDownloadResult, IpswListResult, IpswProgressParams } from '../rpc/protocol.js';
import { formatBytes } from '../format/vm.js';
import { flag, stringOption } from './args.js';
import { jsonOption, type Command } from './command.js';
import { CommandError } from './exitCodes.js';
import { withClient, writeJson, type CommandIO } from './io.js';

export const ipswLatestCommand: Command = {
  spec: {
    name: 'ipsw latest',
    positionals: [],
    options: jsonOption,
    summary: 'Show the newest macOS restore image this Mac can install (Apple silicon Macs only).',
  },
  run: (args, io) =>
    withClient(io, async (client) => {
      const latest = await client.latestIpsw();
      if (flag(args, 'json')) return writeJson(io, latest);
      const size = latest.sizeBytes === undefined ? '' : `, ${formatBytes(latest.sizeBytes)}`;
      io.stdout.write(`macOS ${latest.version} (${latest.build})${size}\n${latest.url}\nDownload it with: vmtui ipsw download ${latest.url}\n`);
    }),
};

export const ipswDownloadCommand: Command = {
  spec: {
    name: 'ipsw download',
    positionals: ['URL'],
    options: { sha256: { value: 'HEX', description: 'the SHA-256 the file must have (else the server’s digest header is used, if any)' }, ...jsonOption },
    summary: 'Download a restore image into the cache; an interrupted download resumes where it stopped.',
    details: [
      'Ctrl-C stops it and keeps what was received; the same command resumes it.',
      '--json prints one JSON object per line: {"event":"progress","progress":{…}} while it runs, then {"event":"result","result":{…}}.',
    ],
  },
  run: (args, io) =>
    withClient(io, (client) => downloadIpsw(client, io, args.positionals[0] ?? '', stringOption(args, 'sha256'), flag(args, 'json'))),
};

export const ipswListCommand: Command = {
  spec: { name: 'ipsw list', positionals: [], options: jsonOption, summary: 'List cached restore images and partial downloads.' },
  run: (args, io) =>
    withClient(io, async (client) => {
      const result = await client.listIpsw();
      if (flag(args, 'json')) return writeJson(io, result);
      io.stdout.write(ipswTable(result));
    }),
};

export const ipswDeleteCommand: Command = {
  spec: { name: 'ipsw delete', positionals: ['NAME'], options: {}, summary: 'Delete a cached restore image or a partial download (names as in ipsw list).' },
  run: (args, io) =>
    withClient(io, async (client) => {
      const name = args.positionals[0] ?? '';
      await client.deleteIpsw(name);
      io.stdout.write(`Deleted '${name}' from the cache.\n`);
    }),
};

export const ipswCommands: Command[] = [ipswLatestCommand, ipswDownloadCommand, ipswListCommand, ipswDeleteCommand];

interface TerminalStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

async function downloadIpsw(client: HelperApi, io: CommandIO, url: string, sha256: string | undefined, json: boolean): Promise<void> {
  const terminal = io.stderr as TerminalStream;
  const live = !json && terminal.isTTY === true;
  let last: IpswProgressParams | undefined;
  const progress = client.onIpswProgress((p) => {
    last = p;
    if (json) io.stdout.write(JSON.stringify({ event: 'progress', progress: p }) + '\n');
    else if (live) terminal.write(`\r\x1b[K${progressLine(p, terminal.columns || 80)}`);
  });
  const abort = new AbortController();
  const interrupt = () => abort.abort();
  process.on('SIGINT', interrupt);
  const again = `vmtui ipsw download ${url}${sha256 === undefined ? '' : ` --sha256 ${sha256}`}`;
  let result: IpswDownloadResult;
  try {
    result = await client.downloadIpsw(sha256 === undefined ? { url } : { url, sha256 }, abort.signal);
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    // Ctrl-C also reaches the helper (same process group) when typed in a terminal; then it is gone
    // instead of answering, but the partial file is on disk all the same.
    if (error instanceof HelperRequestError && error.kind === 'cancelled') {
      throw new CommandError(`${error.message} To resume: ${again}`);
    }
    if (error instanceof HelperGoneError) {
      const received = last ? ` (${formatBytes(last.receivedBytes)})` : '';
      throw new CommandError(`The download was cancelled; what was received${received} is kept in the cache as a partial file ('vmtui ipsw list' shows it). To resume: ${again}`);
    }
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
    progress.dispose();
    if (live) terminal.write('\r\x1b[K');
  }
  if (json) {
    io.stdout.write(JSON.stringify({ event: 'result', result }) + '\n');
    return;
  }
  io.stdout.write(downloadSentence(result));
}

/** "Checked against …" for each source of the expected SHA-256. */
const checkedAgainst = {
  user: 'the SHA-256 you gave',
  server: 'the SHA-256 the server announced',
  none: 'nothing: the server announced no SHA-256; pass --sha256 HEX to check it',
} as const;

export function downloadSentence(r: IpswDownloadResult): string {
  if (r.resumedFromBytes === r.sizeBytes) {
    return `Already in the cache: ${r.path} (${formatBytes(r.sizeBytes)}, SHA-256 ${r.sha256}).\n`;
  }
  const resumed = r.resumedFromBytes > 0 ? `, resumed at ${formatBytes(r.resumedFromBytes)}` : '';
  return `Downloaded ${r.path} (${formatBytes(r.sizeBytes)}${resumed}).\nSHA-256 ${r.sha256}, checked against ${checkedAgainst[r.verifiedWith]}.\n`;
}

/** The live line: "Downloading  1.2 GiB of 13 GiB  9%  45 MiB/s  ETA 4m 31s", cut to the width. */
export function progressLine(p: IpswProgressParams, columns: number): string {
  const amount = p.totalBytes === null ? formatBytes(p.receivedBytes) : `${formatBytes(p.receivedBytes)} of ${formatBytes(p.totalBytes)}`;
  const percent = p.totalBytes ? `  ${Math.floor((p.receivedBytes / p.totalBytes) * 100)}%` : '';
  const rate = p.bytesPerSecond > 0 ? `  ${formatBytes(p.bytesPerSecond)}/s` : '';
  const eta = p.etaSeconds === null ? '' : `  ETA ${formatDuration(p.etaSeconds)}`;
  let line: string;
  switch (p.phase) {
    case 'connecting':
      line = p.receivedBytes > 0 ? `Connecting (resuming at ${formatBytes(p.receivedBytes)})…` : 'Connecting…';
      break;
    case 'downloading':
      line = `Downloading  ${amount}${percent}${rate}${eta}`;
      break;
    case 'verifying':
      line = `Checking SHA-256  ${amount}${percent}${eta}`;
      break;
  }
  const width = Math.max(10, columns - 1);
  return line.length > width ? line.slice(0, width - 1) + '…' : line;
}

/** "45s", "4m 31s", "2h 05m". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function ipswTable(result: IpswListResult): string {
  if (result.images.length === 0) return "No restore images are cached; fetch one with 'vmtui ipsw download URL'.\n";
  const rows = result.images.map((i) => {
    const state = i.complete
      ? 'complete'
      : `partial${i.totalBytes ? ` (${Math.floor((i.sizeBytes / i.totalBytes) * 100)}% of ${formatBytes(i.totalBytes)})` : ''}`;
    return [i.name, formatBytes(i.sizeBytes), state];
  });
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => `${(r[0] ?? '').padEnd(widths[0]! + 2)}${(r[1] ?? '').padStart(widths[1]!)}  ${r[2]}`).join('\n') + '\n';
}
