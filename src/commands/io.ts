// What a subcommand may touch: its streams, the user's folder and a way to start the helper.
import type { HelperApi, HelperClientFactory } from '../rpc/api.js';
import type { InitializeResult } from '../rpc/protocol.js';

export interface InputStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: InputStream;
  /** The user's working folder: relative paths are made absolute against it. */
  cwd: string;
  clientFactory: HelperClientFactory;
}

/** Starts and initializes a helper for one command, and always shuts it down afterwards. */
export async function withClient<T>(io: CommandIO, body: (client: HelperApi, init: InitializeResult) => Promise<T>): Promise<T> {
  return withClientAsking(io, async () => undefined, (_none, client, init) => body(client, init));
}

/**
 * withClient for a command whose first question needs nothing from initialize's answer: `ask` goes
 * out with initialize (one round trip less), and its answer is used only once initialize has said
 * the helper speaks this protocol.
 */
export async function withClientAsking<A, T>(
  io: CommandIO,
  ask: (client: HelperApi) => Promise<A>,
  body: (answer: A, client: HelperApi, init: InitializeResult) => Promise<T> | T,
): Promise<T> {
  const client = await io.clientFactory();
  try {
    const initialized = client.initialize();
    const asked = ask(client);
    asked.catch(() => undefined); // a protocol mismatch is reported first; this answer is dropped
    const init = await initialized;
    return await body(await asked, client, init);
  } finally {
    // The helper exits by itself at the end of its input; waiting for that was part of every command's time.
    await client.shutdown({ waitForExit: false });
  }
}

export function writeJson(io: CommandIO, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Key/value lines with the values in one column. */
export function keyValueBlock(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => k.padEnd(width) + v).join('\n') + '\n';
}
