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

/** The command line is wrong: reported with the command's usage text. */
export class UsageError extends Error {}

/** A path or file cannot be used: reported on its own, since the usage text would not help. */
export class InputError extends Error {}
