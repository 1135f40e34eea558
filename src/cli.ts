#!/usr/bin/env node
import { runBin } from './cli/bin';
import { Command, EXIT_BAD_INVOCATION, EXIT_CLEAN, InputError, Io, UsageError } from './cli/command';
import { diagramCommand } from './cli/diagram';
import { synthCommand } from './cli/synth';
import { verifyCommand } from './cli/verify';
import { packageVersion } from './cli/version';
import { printable } from './diagram/text';

const COMMANDS: ReadonlyMap<string, Command> = new Map([
  ['verify', verifyCommand],
  ['diagram', diagramCommand],
  ['synth', synthCommand],
]);

const USAGE = `usage: cdk8s-istio-release <command> [options]

commands:
${[...COMMANDS].map(([name, command]) => `  ${name.padEnd(10)}${command.summary}`).join('\n')}

run cdk8s-istio-release <command> --help for the options of a command,
and cdk8s-istio-release --version for the version.
`;

/** Runs the bin in-process and returns its exit code; it never exits, so tests can call it. */
export function main(argv: string[], io: Io): number {
  const [name, ...args] = argv;
  if (name === '-h' || name === '--help') {
    io.stdout(USAGE);
    return EXIT_CLEAN;
  }
  if (name === '-v' || name === '--version') {
    io.stdout(`${packageVersion()}\n`);
    return EXIT_CLEAN;
  }
  if (name === undefined) return fail(io, 'no command given', USAGE);
  const command = COMMANDS.get(name);
  if (!command) return fail(io, `unknown command ${printable(name)}`, USAGE);
  try {
    return command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) return fail(io, error.message, command.usage);
    if (error instanceof InputError) return fail(io, error.message);
    throw error;
  }
}

/** One `error:` line per problem, then the usage text when the command line was at fault. */
function fail(io: Io, message: string, usage?: string): number {
  io.stderr(message.split('\n').map(line => `error: ${line}\n`).join('') + (usage ? `\n${usage}` : ''));
  return EXIT_BAD_INVOCATION;
}

if (require.main === module) runBin(main, process.argv.slice(2));
