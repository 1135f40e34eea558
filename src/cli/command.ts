import { printable } from '../diagram/text';

/** Where a command writes; tests pass collectors, the bin passes process.stdout and stderr. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** A subcommand of the bin: `cdk8s-istio-release <name> …`. */
export interface Command {
  /** One line for the top-level usage text. */
  readonly summary: string;
  readonly usage: string;
  /** Returns the exit code; throws UsageError or InputError for exit code 2. */
  run(args: readonly string[], io: Io): number;
}

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INVOCATION = 2;

/**
 * The command line is wrong: reported with the command's usage text. The message quotes
 * arguments, which may hold anything, so it is made printable: it is always one `error:` line.
 */
export class UsageError extends Error {
  public constructor(message: string) {
    super(printable(message));
  }
}

/**
 * Paths or files that cannot be used: reported on their own, since the usage text would not help.
 * One problem a line, each made printable, so that a line break in a file name cannot forge one.
 */
export class InputError extends Error {
  public readonly problems: readonly string[];

  public constructor(...problems: string[]) {
    const lines = problems.map(printable);
    super(lines.join('\n'));
    this.problems = lines;
  }
}
