// What the commands (cli.ts) and the UI (uiStart.ts) share as they start: how a helper client is
// made, and how a failure ends vmtui: one sentence on stderr and the exit status of its kind.
import { exitCodeFor } from './commands/exitCodes.js';
import type { HelperClientFactory } from './rpc/api.js';
import { HelperClient } from './rpc/client.js';
import { errorSentence } from './rpc/errors.js';

export const clientFactory: HelperClientFactory = () => HelperClient.start();

/** Runs `work`; a failure is written as `vmtui: <sentence>` and sets the exit status (exitCodes.ts). */
export async function reporting(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const sentence = errorSentence(error);
    if (sentence !== '') process.stderr.write(`vmtui: ${sentence}\n`);
    process.exitCode = exitCodeFor(error);
  }
}
