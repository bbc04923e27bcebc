#!/usr/bin/env node
// Entry point: parses arguments, runs a subcommand or the TUI, turns failures into a sentence
// and an exit status (see `vmtui --help` and src/commands/exitCodes.ts).
import { render } from 'ink';
import { commandHelp, parseArgs } from './commands/args.js';
import { UsageError } from './format/usageError.js';
import { exitCodeFor } from './commands/exitCodes.js';
import type { CommandIO } from './commands/io.js';
import { resolveCommand } from './commands/registry.js';
import { usage } from './commands/usage.js';
import type { HelperClientFactory } from './rpc/api.js';
import { HelperClient } from './rpc/client.js';
import { errorSentence } from './rpc/errors.js';
import { App } from './ui/app.js';
import { themeFor } from './ui/theme.js';
import { VMTUI_VERSION } from './version.js';

const clientFactory: HelperClientFactory = () => HelperClient.start();

async function runTui(): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError("The vmtui UI needs a terminal; in scripts use commands such as 'vmtui list --json' (see 'vmtui --help').");
  }
  const instance = render(<App clientFactory={clientFactory} theme={themeFor(process.env)} />, {
    exitOnCtrlC: false, // Ctrl-C goes through the key map so the helper is shut down first
    interactive: true, // a terminal is a terminal, even when CI is set
    alternateScreen: true,
  });
  await instance.waitUntilExit();
}

async function main(args: string[]): Promise<void> {
  const [first] = args;
  if (first === undefined) return runTui();
  if (first === '--version' || first === '-V') {
    process.stdout.write(`vmtui ${VMTUI_VERSION}\n`);
    return;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage);
    return;
  }
  const { command, name, rest: commandArgs } = resolveCommand(args);
  if (!command) {
    const what = first.startsWith('-') ? 'option' : 'command';
    const hints: Record<string, string> = {
      snapshot: "; use 'vmtui snapshot create|list|restore|delete'",
      ipsw: "; use 'vmtui ipsw latest|download|list|delete'",
    };
    const hint = hints[first] ?? '';
    throw new UsageError(`There is no ${what} '${name}'${hint}; run 'vmtui --help' to see what it can do.`);
  }
  const parsed = parseArgs(command.spec, commandArgs);
  if (parsed.help) {
    process.stdout.write(commandHelp(command.spec));
    return;
  }
  const io: CommandIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), clientFactory };
  await command.run(parsed, io);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  const sentence = errorSentence(error);
  if (sentence !== '') process.stderr.write(`vmtui: ${sentence}\n`);
  process.exitCode = exitCodeFor(error);
}
