// Exit statuses scripts can rely on (listed in `vmtui --help`), decided here once.
import { HelperGoneError, HelperNotFoundError, HelperRequestError, ProtocolMismatchError } from '../rpc/errors.js';
import { UsageError } from '../format/usageError.js';

export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  noSuchVm: 3,
  wrongState: 4,
  helper: 5,
} as const;

/** A failure the CLI itself detects, with the status it should end with. */
export class CommandError extends Error {
  constructor(message: string, readonly exitCode: number = ExitCode.failure) {
    super(message);
    this.name = 'CommandError';
  }
}

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return ExitCode.usage;
  if (error instanceof CommandError) return error.exitCode;
  if (error instanceof HelperNotFoundError || error instanceof HelperGoneError || error instanceof ProtocolMismatchError) {
    return ExitCode.helper;
  }
  if (error instanceof HelperRequestError) {
    switch (error.kind) {
      case 'notFound':
        // notFound also covers a missing file (kernel, ISO, cached image): those carry data.path.
        return error.data?.kind === 'notFound' && error.data.path !== undefined ? ExitCode.failure : ExitCode.noSuchVm;
      case 'invalidState':
      case 'alreadyRunning':
        return ExitCode.wrongState;
      case 'invalidName':
        return ExitCode.usage;
      default:
        return ExitCode.failure;
    }
  }
  return ExitCode.failure;
}
