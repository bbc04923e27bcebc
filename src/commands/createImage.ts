// `vmtui create NAME --image PATH|URL`: a Linux VM whose disk is a raw or qcow2 image. The helper
// downloads a URL into its cache (resumable, checked against --sha256), imports the image as the
// VM's sparse disk and boots it with EFI from that disk. Progress goes to stderr on a terminal, or
// as JSON lines on stdout with --json; Ctrl-C stops (a download keeps its partial file).
import type { HelperApi } from '../rpc/api.js';
import { HelperRequestError } from '../rpc/errors.js';
import { imageProgressNotification, vmCreateRequest, type VMCreateParams, type VMInfo } from '../rpc/protocol.js';
import { imageLine } from '../format/progress.js';
import { CommandError } from './exitCodes.js';
import type { CommandIO } from './io.js';
import { Reporter, interruptible } from './createMac.js';

export function isImageURL(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

export async function createFromImage(client: HelperApi, io: CommandIO, params: VMCreateParams, json: boolean): Promise<VMInfo> {
  const report = new Reporter(io, json);
  const listening = client.on(imageProgressNotification, (p) => {
    if (p.name === params.name) report.progress('progress', { progress: p }, imageLine(p));
  });
  try {
    const vm = await interruptible((signal) => client.request(vmCreateRequest, params, { signal }));
    report.endLine();
    report.event('created', { vm });
    return vm;
  } catch (error) {
    report.endLine();
    if (error instanceof HelperRequestError && error.kind === 'cancelled') {
      const kept = params.image !== undefined && isImageURL(params.image)
        ? ' What was downloaded is kept in the cache; the same command resumes it.'
        : '';
      throw new CommandError(`Stopped creating VM '${params.name}'; no VM was made.${kept}`);
    }
    throw error;
  } finally {
    listening.dispose();
  }
}
