// A small argument parser whose every complaint is a sentence: subcommands declare their
// positionals and options, and the parser checks what was typed against that.
import { UsageError } from '../format/usageError.js';

export interface OptionSpec {
  /** Placeholder for the value ("PATH", "SIZE"); absent = a flag that takes no value. */
  value?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  /** Positional argument names, all required, in order ("NAME", "NEWNAME"). */
  positionals: string[];
  options: Record<string, OptionSpec>;
  summary: string;
  /** Extra lines for `vmtui <command> --help`. */
  details?: string[];
}

export interface ParsedArgs {
  positionals: string[];
  /** Flags are true when given; options with values hold the (last) value. */
  options: Record<string, string | true>;
  help: boolean;
}

export function synopsis(spec: CommandSpec): string {
  const options = Object.entries(spec.options).map(([name, o]) => (o.value ? `[--${name} ${o.value}]` : `[--${name}]`));
  return ['vmtui', spec.name, ...spec.positionals, ...options].join(' ');
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

export function parseArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  let help = false;
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(arg.startsWith('--') ? 2 : 1, eq === -1 ? undefined : eq);
    const option = arg.startsWith('--') ? spec.options[name] : undefined;
    if (!option) {
      throw new UsageError(`'vmtui ${spec.name}' does not take '${eq === -1 ? arg : arg.slice(0, eq)}'; run 'vmtui ${spec.name} --help' to see its options.`);
    }
    if (!option.value) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value; write just --${name}.`);
      options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value !== undefined && value.startsWith('--')) value = undefined;
      else i++;
    }
    if (value === undefined || value === '') {
      throw new UsageError(`--${name} needs a value, as in --${name} ${option.value}.`);
    }
    options[name] = value;
  }
  if (!help) {
    const wanted = spec.positionals;
    if (positionals.length < wanted.length) {
      throw new UsageError(`'vmtui ${spec.name}' needs ${wanted.slice(positionals.length).join(' and ')}, as in: ${synopsis(spec)}.`);
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
  return { positionals, options, help };
}

/** The value of an option that takes one, or undefined when it was not given. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options[name] === true;
}
