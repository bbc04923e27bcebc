#!/usr/bin/env node
// Entry point: parses arguments, runs a subcommand or the TUI, turns failures into a sentence
// and an exit status (1 = it failed, 2 = it was asked wrongly).
import { render } from 'ink';
import { runHost } from './commands/host.js';
import { usage } from './commands/usage.js';
import { HelperClient, type HelperClientFactory } from './rpc/client.js';
import { errorSentence } from './rpc/errors.js';
import { App } from './ui/app.js';
import { themeFor } from './ui/theme.js';
import { VMTUI_VERSION } from './version.js';

class UsageError extends Error {}

const clientFactory: HelperClientFactory = () => HelperClient.start();

async function runTui(): Promise<void> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError("The vmtui UI needs a terminal; in scripts use 'vmtui host --json'.");
  }
  const instance = render(<App clientFactory={clientFactory} theme={themeFor(process.env)} />, {
    exitOnCtrlC: false, // Ctrl-C goes through the key map so the helper is shut down first
    interactive: true, // a terminal is a terminal, even when CI is set
    alternateScreen: true,
  });
  await instance.waitUntilExit();
}

async function main(args: string[]): Promise<void> {
  const [first, ...rest] = args;
  if (first === undefined) return runTui();
  if (first === '--version' || first === '-V') {
    process.stdout.write(`vmtui ${VMTUI_VERSION}\n`);
    return;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage);
    return;
  }
  if (first === 'host') {
    const unknown = rest.filter((a) => a !== '--json');
    if (unknown.length > 0) throw new UsageError(`'vmtui host' does not take '${unknown[0]}'; it takes only --json.`);
    return runHost(rest.includes('--json'), { stdout: process.stdout, clientFactory });
  }
  const what = first.startsWith('-') ? 'option' : 'command';
  throw new UsageError(`There is no ${what} '${first}'; run 'vmtui --help' to see what it can do.`);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`vmtui: ${errorSentence(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
