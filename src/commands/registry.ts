// Every subcommand, in the order `vmtui --help` lists them.
import type { Command } from './command.js';
import { consoleCommand } from './console.js';
import { configureCommand, createCommand, deleteCommand, renameCommand } from './vmChange.js';
import { pauseCommand, resumeCommand, startCommand, stopCommand } from './vmPower.js';
import { getCommand, listCommand } from './vmQuery.js';

export const vmCommands: Command[] = [
  listCommand,
  getCommand,
  createCommand,
  startCommand,
  stopCommand,
  pauseCommand,
  resumeCommand,
  consoleCommand,
  deleteCommand,
  renameCommand,
  configureCommand,
];

export function findCommand(name: string): Command | undefined {
  return vmCommands.find((c) => c.spec.name === name);
}
