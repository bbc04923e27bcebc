#!/usr/bin/env node
// Entry point: parses arguments, runs a subcommand or the TUI, turns failures into a sentence
// and an exit status (see `vmtui --help` and src/commands/exitCodes.ts).
import { commandHelp, parseArgs } from './commands/args.js';
import { UsageError } from './format/usageError.js';
import type { CommandIO } from './commands/io.js';
import { groupHelp, resolveCommand } from './commands/registry.js';
import { usage } from './commands/usage.js';
import { clientFactory, reporting } from './run.js';
import { VMTUI_VERSION } from './version.js';

async function main(args: string[]): Promise<void> {
  const [first, ...rest] = args;
  // bin.ts starts the UI without loading this file; here when run as dist/src/cli.js.
  if (first === undefined) return (await import('./uiStart.js')).startUi();
  if (first === '--version' || first === '-V') {
    process.stdout.write(`vmtui ${VMTUI_VERSION}\n`);
    return;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage);
    return;
  }
  const group = groupHelp(first, rest);
  if (group !== undefined) {
    process.stdout.write(group);
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

await reporting(() => main(process.argv.slice(2)));
