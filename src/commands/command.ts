import type { CommandSpec, ParsedArgs } from './args.js';
import type { CommandIO } from './io.js';

/** A subcommand: what it accepts, and what it does. */
export interface Command {
  spec: CommandSpec;
  run(args: ParsedArgs, io: CommandIO): Promise<void>;
}

export const jsonOption = { json: { description: 'print the result as JSON, for scripts' } };
