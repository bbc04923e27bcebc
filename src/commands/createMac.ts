// `vmtui create NAME --ipsw PATH|URL|latest`: a macOS VM from a restore image. Downloads the image
// first when it is a URL or the latest one, then vm/create and vm/install. Progress goes to stderr
// on a terminal, or as JSON lines on stdout with --json. Ctrl-C stops a download (its partial file
// is kept for the next try) or an install.
import type { HelperApi } from '../rpc/api.js';
import { HelperGoneError, HelperRequestError } from '../rpc/errors.js';
import type { InitializeResult, VMCreateParams } from '../rpc/protocol.js';
import { downloadLine, installLine } from '../format/progress.js';
import { macosAvailability } from '../format/availability.js';
import { flag } from './args.js';
import { jsonOption, type Command } from './command.js';
import { CommandError } from './exitCodes.js';
import { withClient, type CommandIO } from './io.js';

export type IpswArg = { kind: 'latest' } | { kind: 'url'; url: string } | { kind: 'file'; path: string };

export function parseIpswArg(value: string, absoluteFile: (path: string) => string): IpswArg {
  if (value === 'latest') return { kind: 'latest' };
  if (/^https?:\/\//i.test(value)) return { kind: 'url', url: value };
  return { kind: 'file', path: absoluteFile(value) };
}

/** Where progress and outcomes go: JSON lines on stdout, or one rewritten line on a terminal's stderr. */
export class Reporter {
  private live = false;

  constructor(private readonly io: CommandIO, private readonly json: boolean) {}

  private get tty(): boolean {
    return (this.io.stderr as { isTTY?: boolean }).isTTY === true;
  }

  event(event: string, fields: object): void {
    if (this.json) this.io.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
  }

  progress(event: string, fields: object, line: string): void {
    if (this.json) return this.event(event, fields);
    if (!this.tty) return;
    this.io.stderr.write(`\r${line}\u001B[K`);
    this.live = true;
  }

  say(text: string): void {
    this.endLine();
    if (!this.json) this.io.stdout.write(text + '\n');
  }

  endLine(): void {
    if (this.live) this.io.stderr.write('\n');
    this.live = false;
  }
}

function stopped(error: unknown): boolean {
  return error instanceof HelperRequestError && error.kind === 'cancelled';
}

/** Aborts on Ctrl-C while `body` runs. */
export async function interruptible<T>(body: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    return await body(controller.signal);
  } catch (error) {
    // Ctrl-C typed in a terminal also reaches the helper (same process group). Serve ignores it; a
    // helper that died anyway is gone instead of answering "cancelled", but the work stopped all the same.
    if (controller.signal.aborted && error instanceof HelperGoneError) {
      throw new HelperRequestError('$/cancelRequest', 1012, 'Stopped.', { kind: 'cancelled' });
    }
    throw error;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

async function download(client: HelperApi, url: string, report: Reporter): Promise<string> {
  const listening = client.onIpswProgress((p) => {
    if (p.url === url) report.progress('download', p, downloadLine(p));
  });
  try {
    const result = await interruptible((signal) => client.downloadIpsw({ url }, signal));
    report.event('downloaded', result);
    report.say(`Downloaded ${url} to ${result.path}${result.verifiedWith === 'none' ? ' (no digest to check it against)' : ` (SHA-256 checked against the ${result.verifiedWith}'s value)`}.`);
    return result.path;
  } catch (error) {
    report.endLine();
    if (stopped(error)) throw new CommandError(`Download stopped; the part downloaded so far is kept, and running the same command again resumes it.`);
    throw error;
  } finally {
    listening.dispose();
  }
}

async function install(client: HelperApi, name: string, report: Reporter): Promise<void> {
  const listening = client.onInstallProgress((p) => {
    if (p.name === name) report.progress('install', p, installLine(p));
  });
  try {
    await interruptible((signal) => client.installVm(name, signal));
  } catch (error) {
    report.endLine();
    if (stopped(error)) throw new CommandError(`Stopped installing macOS; VM '${name}' is kept without a system: install again with 'vmtui install ${name}' (it starts over from the restore image).`);
    throw error;
  } finally {
    listening.dispose();
  }
}

export async function createFromIpsw(
  client: HelperApi,
  init: InitializeResult,
  io: CommandIO,
  base: Omit<VMCreateParams, 'boot' | 'os' | 'ipsw'>,
  source: IpswArg,
  json: boolean,
): Promise<void> {
  const report = new Reporter(io, json);
  const params: VMCreateParams = { ...base, os: 'macos', boot: { kind: 'macos' } };
  if (!init.capabilities.macosGuests) {
    // Before any download: the helper says why this host cannot have macOS guests (it refuses
    // the create before it looks for an image, so nothing is made).
    const reason = macosAvailability(init).reason ?? 'This host cannot run macOS guests.';
    try {
      await client.createVm(params);
    } catch (error) {
      if (error instanceof HelperRequestError && error.kind === 'unsupported') throw error;
    }
    throw new CommandError(reason);
  }
  let path: string;
  if (source.kind === 'file') path = source.path;
  else {
    let url = source.kind === 'url' ? source.url : '';
    if (source.kind === 'latest') {
      const latest = await client.latestIpsw();
      report.event('latest', latest);
      report.say(`The latest macOS this Mac supports is ${latest.version} (${latest.build}).`);
      url = latest.url;
    }
    path = await download(client, url, report);
  }
  const vm = await client.createVm({ ...params, ipsw: path });
  report.event('created', { vm });
  report.say(`Created VM '${vm.name}'; installing macOS from ${path} (Ctrl-C stops).`);
  await install(client, vm.name, report);
  const done = await client.getVm(vm.name);
  report.event('installed', { vm: done });
  report.say(`Installed macOS in VM '${vm.name}'. Start it with 'vmtui start ${vm.name}'.`);
}

/** `vmtui install NAME`: (re)installs macOS into a VM created from a restore image, with progress. */
export const installCommand: Command = {
  spec: {
    name: 'install',
    positionals: ['NAME'],
    options: jsonOption,
    summary: "Install macOS into a VM made with 'vmtui create NAME --ipsw …' (again, after a stopped install). Apple silicon Macs only.",
  },
  run: (args, io) =>
    withClient(io, async (client) => {
      const name = args.positionals[0] ?? '';
      const json = flag(args, 'json');
      const report = new Reporter(io, json);
      await install(client, name, report);
      const done = await client.getVm(name);
      report.event('installed', { vm: done });
      report.say(`Installed macOS in VM '${name}'. Start it with 'vmtui start ${name}'.`);
    }),
};
