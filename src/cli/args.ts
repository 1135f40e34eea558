import { parseArgs } from 'util';
import { UsageError } from './command';
import { collectFiles } from './files';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  /** Options given, by long name: every value of a string option, in order; `[]` for a boolean one. */
  readonly options: ReadonlyMap<string, readonly string[]>;
}

/**
 * util.parseArgs splits the command line (`--name=value`, `-h`, `--`); its strict mode is off
 * because its errors are long and capitalised, so unknown options and missing values are checked here.
 */
export function parseCommandLine(args: readonly string[], specs: Readonly<Record<string, OptionSpec>>): ParsedArgs {
  const { tokens } = parseArgs({ args: [...args], options: specs, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = Object.prototype.hasOwnProperty.call(specs, token.name) ? specs[token.name] : undefined;
    if (!spec) throw new UsageError(`unknown option ${token.rawName}`);
    options.set(token.name, [...options.get(token.name) ?? [], ...optionValue(spec, token)]);
  }
  return { positionals, options };
}

interface OptionToken {
  readonly rawName: string;
  readonly value?: string;
  readonly inlineValue?: boolean;
}

function optionValue(spec: OptionSpec, token: OptionToken): string[] {
  if (spec.type === 'boolean') {
    if (token.value !== undefined) throw new UsageError(`option ${token.rawName} takes no value`);
    return [];
  }
  // Without strict mode parseArgs takes the next argument as the value even when it is an option.
  if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
    throw new UsageError(`option ${token.rawName} needs a value`);
  }
  return [token.value];
}

export function flag(parsed: ParsedArgs, name: string): boolean {
  return parsed.options.has(name);
}

export function values(parsed: ParsedArgs, name: string): readonly string[] {
  return parsed.options.get(name) ?? [];
}

/** The last value given, so that an option appended to a scripted command line overrides it. */
export function lastValue(parsed: ParsedArgs, name: string): string | undefined {
  const given = values(parsed, name);
  return given[given.length - 1];
}

/**
 * Parses a subcommand's arguments. Undefined when `--help` was asked for, which has then been
 * printed. `files()` collects the files named, once the command has checked its options, so that
 * a usage error comes before a file error.
 */
export function parseInvocation(
  args: readonly string[], specs: Readonly<Record<string, OptionSpec>>, usage: string, io: { stdout: (s: string) => void }, what: string,
): { parsed: ParsedArgs; files: () => string[] } | undefined {
  const parsed = parseCommandLine(args, specs);
  if (flag(parsed, 'help')) {
    io.stdout(usage);
    return undefined;
  }
  return {
    parsed,
    files: () => {
      if (parsed.positionals.length === 0) throw new UsageError(`no files or directories to ${what}`);
      return collectFiles(parsed.positionals);
    },
  };
}
