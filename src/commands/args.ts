// Arguments for subcommands, and every complaint a sentence: subcommands declare their
// positionals and options; node:util's parseArgs splits what was typed and we check it.
import { parseArgs as parseArgv, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../format/usageError.js';

export interface OptionSpec {
  /** Placeholder for the value ("PATH", "SIZE"); absent = a flag that takes no value. */
  value?: string;
  description: string;
  /** May be given more than once; every value is kept (listOption). */
  repeatable?: boolean;
}

export interface CommandSpec {
  name: string;
  /** Positional argument names in order ("NAME", "NEWNAME"); a trailing "?" marks an optional one ("FILE?"). */
  positionals: string[];
  options: Record<string, OptionSpec>;
  summary: string;
  /** Extra lines for `vmtui <command> --help`. */
  details?: string[];
  /** Arguments after `--` are kept apart (`vmtui ssh NAME -- COMMAND…`); named here for --help. */
  rest?: string;
}

export interface ParsedArgs {
  positionals: string[];
  /** Flags are true when given; options with values hold the (last) value. */
  options: Record<string, string | true>;
  help: boolean;
  /** Every value of each repeatable option, in order. */
  lists?: Record<string, string[]>;
  /** What came after `--` when the command takes a rest. */
  rest?: string[];
}

export function synopsis(spec: CommandSpec): string {
  const options = Object.entries(spec.options).map(([name, o]) => (o.value ? `[--${name} ${o.value}]` : `[--${name}]`));
  const positionals = spec.positionals.map((p) => (p.endsWith('?') ? `[${p.slice(0, -1)}]` : p));
  return ['vmtui', spec.name, ...positionals, ...options, ...(spec.rest ? [`[-- ${spec.rest}]`] : [])].join(' ');
}

export function commandHelp(spec: CommandSpec): string {
  const lines = [`Usage: ${synopsis(spec)}`, '', spec.summary];
  const options = Object.entries(spec.options);
  if (options.length > 0) {
    const labels = options.map(([name, o]) => `--${name}${o.value ? ` ${o.value}` : ''}`);
    const width = Math.max(...labels.map((l) => l.length)) + 2;
    lines.push('', 'Options:', ...options.map(([, o], i) => `  ${(labels[i] ?? '').padEnd(width)}${o.description}`));
  }
  if (spec.details) lines.push('', ...spec.details);
  return lines.join('\n') + '\n';
}

export function parseArgs(spec: CommandSpec, typed: string[]): ParsedArgs {
  // A command with a rest (`vmtui ssh NAME -- COMMAND…`) keeps everything after the first `--`.
  const cut = spec.rest ? typed.indexOf('--') : -1;
  const rest = cut === -1 ? undefined : typed.slice(cut + 1);
  const argv = cut === -1 ? typed : typed.slice(0, cut);
  const lists: Record<string, string[]> = {};
  // node:util splits the words (=, --, short groups); the checks and their sentences are ours, so
  // it runs non-strict and every token is checked here, in the order typed.
  const config: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) config[name] = { type: o.value ? 'string' : 'boolean' };
  const { tokens } = parseArgv({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const { name, value, inlineValue } = token;
    if (name === 'help' && !inlineValue && (token.rawName === '--help' || token.rawName === '-h')) {
      help = true;
      continue;
    }
    const option = token.rawName.startsWith('--') ? spec.options[name] : undefined;
    if (!option) {
      const typed = argv[token.index] ?? token.rawName;
      const eq = typed.indexOf('=');
      throw new UsageError(`'vmtui ${spec.name}' does not take '${eq === -1 ? typed : typed.slice(0, eq)}'; run 'vmtui ${spec.name} --help' to see its options.`);
    }
    if (!option.value) {
      if (inlineValue) throw new UsageError(`--${name} takes no value; write just --${name}.`);
      options[name] = true;
      continue;
    }
    // A following word that is itself an option ("--kernel --sparse") is not taken as the value.
    if (value === undefined || value === '' || (!inlineValue && value.startsWith('--'))) {
      throw new UsageError(`--${name} needs a value, as in --${name} ${option.value}.`);
    }
    options[name] = value;
    if (option.repeatable) (lists[name] ??= []).push(value);
  }
  if (!help) {
    const wanted = spec.positionals;
    const required = wanted.filter((p) => !p.endsWith('?'));
    if (positionals.length < required.length) {
      throw new UsageError(`'vmtui ${spec.name}' needs ${required.slice(positionals.length).join(' and ')}, as in: ${synopsis(spec)}.`);
    }
    if (positionals.length > wanted.length) {
      const extra = positionals[wanted.length] ?? '';
      throw new UsageError(
        wanted.length === 0
          ? `'vmtui ${spec.name}' takes no arguments, but it was given '${extra}'.`
          : `'vmtui ${spec.name}' takes ${wanted.join(' ')} only; '${extra}' is one argument too many.`,
      );
    }
  }
  return { positionals, options, help, ...(Object.keys(lists).length > 0 ? { lists } : {}), ...(rest ? { rest } : {}) };
}

/** Every value of a repeatable option (empty when it was not given). */
export function listOption(args: ParsedArgs, name: string): string[] {
  return args.lists?.[name] ?? [];
}

/** The value of an option that takes one, or undefined when it was not given. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}
