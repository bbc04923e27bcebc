// JSON-RPC codes and kinds mapped to words, once. Everything the user reads about a failed call
// comes from here.
import { ConnectionError, ErrorCodes, ResponseError } from 'vscode-jsonrpc/node';
import { decodeErrorData, type ErrorData, type ErrorKind } from './protocol.js';

const standardSentences: Record<number, string> = {
  [-32700]: 'The helper could not parse a message from vmtui; update vmtui and the helper together.',
  [-32600]: 'The helper received a malformed request; update vmtui and the helper together.',
  [-32601]: 'The helper does not know this request; update vmtui and the helper together.',
  [-32602]: 'The helper rejected a request parameter; update vmtui and the helper together.',
  [-32603]: 'The helper failed with an internal error; see its log for details.',
};

// Fallback sentences, used when the helper sends no message of its own.
const kindSentences: Record<ErrorKind, string> = {
  invalidName: "That name is not valid; use 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit.",
  notFound: 'No such VM, snapshot or file exists; check the name.',
  alreadyExists: 'That name is taken; pick another name or delete the old one first.',
  alreadyRunning: 'The VM is already running; stop it first or attach to it.',
  invalidState: 'The operation does not fit the VM’s current state.',
  corruptConfig: 'A VM configuration file cannot be read; fix or restore it.',
  limitExceeded: 'A requested value is more than this host allows; choose a smaller value.',
  io: 'A file operation failed.',
  diskFull: 'The disk is full; free some space and try again.',
  unsupported: 'This is not possible on this host.',
  backend: 'The hypervisor failed.',
  cancelled: 'The operation was cancelled.',
  hostUnreachable: 'A VM’s host process does not answer; refresh the VM list.',
  invalidParams: 'The helper rejected a request parameter; update vmtui and the helper together.',
};

const kindByCode: Record<number, ErrorKind> = {
  1001: 'invalidName',
  1002: 'notFound',
  1003: 'alreadyExists',
  1004: 'alreadyRunning',
  1005: 'invalidState',
  1006: 'corruptConfig',
  1007: 'limitExceeded',
  1008: 'io',
  1009: 'diskFull',
  1010: 'unsupported',
  1011: 'backend',
  1012: 'cancelled',
  1013: 'hostUnreachable',
};

export function kindForCode(code: number): ErrorKind | undefined {
  return kindByCode[code];
}

/** The sentence to show for an error reply: the helper's own message, else ours for the code. */
export function sentenceForError(code: number, message: string | undefined, kind?: ErrorKind): string {
  if (message && message.trim() !== '') return message;
  const k = kind ?? kindForCode(code);
  if (k) return kindSentences[k];
  return standardSentences[code] ?? `The helper answered with error ${code}.`;
}

/** A request the helper answered with an error. */
export class HelperRequestError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
    readonly data: ErrorData | undefined,
  ) {
    super(message);
    this.name = 'HelperRequestError';
  }

  get kind(): ErrorKind | undefined {
    return this.data?.kind ?? kindForCode(this.code);
  }
}

export function fromResponseError(method: string, error: ResponseError<unknown>): HelperRequestError {
  let data: ErrorData | undefined;
  try {
    data = error.data === undefined ? undefined : decodeErrorData(error.data, 'error.data');
  } catch {
    data = undefined; // an unknown data shape must not hide the helper's sentence
  }
  return new HelperRequestError(method, error.code, sentenceForError(error.code, error.message, data?.kind), data);
}

/** How the helper process ended. */
export interface HelperExit {
  exitCode: number | undefined;
  signal: string | undefined;
}

export function describeExit(exit: HelperExit): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  if (exit.exitCode !== undefined) return `exited with status ${exit.exitCode}`;
  return 'stopped answering';
}

/** The helper process is gone; every pending and later call fails with this. */
export class HelperGoneError extends Error {
  constructor(
    readonly exit: HelperExit,
    readonly logPath: string,
    readonly method?: string,
  ) {
    const during = method ? ` while vmtui waited for '${method}'` : '';
    super(`The vmtui helper ${describeExit(exit)}${during}. Its log is at ${logPath}; restart vmtui to start a new helper.`);
    this.name = 'HelperGoneError';
  }
}

export class HelperNotFoundError extends Error {
  constructor(detail: string) {
    super(`${detail} Build it with 'bash scripts/build-helper.sh' in the vmtui repository, or set VMTUI_HELPER to the helper's path.`);
    this.name = 'HelperNotFoundError';
  }
}

export class ProtocolMismatchError extends Error {
  constructor(readonly helperVersion: string, readonly helperProtocol: number, readonly ours: number) {
    super(
      `The helper (version ${helperVersion}) speaks protocol ${helperProtocol}, but this vmtui speaks protocol ${ours}; install matching versions of vmtui and the helper.`,
    );
    this.name = 'ProtocolMismatchError';
  }
}

/** True for the errors vscode-jsonrpc raises when the connection is closed or disposed. */
export function isConnectionGone(error: unknown): boolean {
  if (error instanceof ResponseError) {
    return error.code === ErrorCodes.PendingResponseRejected || error.code === ErrorCodes.ConnectionInactive;
  }
  return error instanceof ConnectionError;
}

/** One sentence for any error, for stderr or a banner. */
export function errorSentence(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
