import { parseArgs } from 'util';
import { isDns1123Label } from '../names';
import { UsageError } from './command';
import { collectFiles, readSources, Source } from './files';
import { readLimit } from './limit';

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

/** `--default-namespace`, which verify and diagram take. */
export function defaultNamespaceOf(parsed: ParsedArgs): string | undefined {
  const namespace = lastValue(parsed, 'default-namespace');
  if (namespace !== undefined && !isDns1123Label(namespace)) {
    throw new UsageError(`--default-namespace takes a namespace (lower-case letters, digits and "-", at most 63), not ${namespace}`);
  }
  return namespace;
}

/**
 * Parses a subcommand's arguments. Undefined when `--help` was asked for, which has then been
 * printed. `sources()` reads the files named, once the command has checked its options, so that
 * a usage error comes before a file error.
 */
export function parseInvocation(
  args: readonly string[], specs: Readonly<Record<string, OptionSpec>>, usage: string, io: { stdout: (s: string) => void }, what: string,
): { parsed: ParsedArgs; sources: () => Source[] } | undefined {
  const parsed = parseCommandLine(args, specs);
  if (flag(parsed, 'help')) {
    io.stdout(usage);
    return undefined;
  }
  return {
    parsed,
    sources: () => {
      const maxBytes = readLimit(lastValue(parsed, 'max-bytes'));
      if (parsed.positionals.length === 0) throw new UsageError(`no files or directories to ${what}`);
      return readSources(collectFiles(parsed.positionals), maxBytes);
    },
  };
}
