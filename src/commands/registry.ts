// Every subcommand, in the order `vmtui --help` lists them.
import { commandHelp } from './args.js';
import type { Command } from './command.js';
import { consoleCommand } from './console.js';
import { hostCommand } from './host.js';
import { ipswCommands } from './ipsw.js';
import { cloneCommand, snapshotCreateCommand, snapshotDeleteCommand, snapshotListCommand, snapshotRestoreCommand } from './snapshots.js';
import { configureCommand, createCommand, deleteCommand, renameCommand } from './vmChange.js';
import { statsCommand } from './stats.js';
import { screenshotCommand, vncCommand } from './screen.js';
import { pauseCommand, resumeCommand, startCommand, stopCommand } from './vmPower.js';
import { installCommand } from './createMac.js';
import { ipCommand } from './vmIp.js';
import { sshCommand, sshConfigCommand } from './ssh.js';
import { getCommand, listCommand } from './vmQuery.js';
import { rosettaInstallCommand } from './rosetta.js';

export const vmCommands: Command[] = [
  listCommand,
  getCommand,
  ipCommand,
  sshCommand,
  sshConfigCommand,
  createCommand,
  installCommand,
  startCommand,
  stopCommand,
  pauseCommand,
  resumeCommand,
  consoleCommand,
  screenshotCommand,
  vncCommand,
  statsCommand,
  deleteCommand,
  renameCommand,
  configureCommand,
  cloneCommand,
  snapshotCreateCommand,
  snapshotListCommand,
  snapshotRestoreCommand,
  snapshotDeleteCommand,
  ...ipswCommands,
  hostCommand,
  rosettaInstallCommand,
];

export function findCommand(name: string): Command | undefined {
  return vmCommands.find((c) => c.spec.name === name);
}

/** Commands named by two words: `snapshot create`, `ipsw download`, … */
const twoWordCommands = new Set(['snapshot', 'ipsw', 'rosetta']);

/** The command for argv and the arguments left for it; `snapshot` and `ipsw` take a second word. */
export function resolveCommand(argv: string[]): { command: Command | undefined; name: string; rest: string[] } {
  const [first = '', second, ...more] = argv;
  if (twoWordCommands.has(first) && second !== undefined && !second.startsWith('-')) {
    const name = `${first} ${second}`;
    return { command: findCommand(name), name, rest: more };
  }
  return { command: findCommand(first), name: first, rest: argv.slice(1) };
}

/** `vmtui snapshot --help`, `vmtui ipsw -h`: every command of that group, one after another. */
export function groupHelp(first: string, rest: string[]): string | undefined {
  if (!twoWordCommands.has(first) || rest.length !== 1 || (rest[0] !== '--help' && rest[0] !== '-h')) return undefined;
  return vmCommands
    .filter((c) => c.spec.name.startsWith(`${first} `))
    .map((c) => commandHelp(c.spec))
    .join('\n');
}
