import { EXIT_BAD_INVOCATION, Io } from './command';
import { describe } from './files';

/**
 * Runs the bin as a process: `argv` are its arguments, and the exit code is the command's. A
 * reader that stops early (`| head`, `| grep -q`) closes the pipe, which fails the writes after it
 * with EPIPE: what the reader did not want is no failure, so the process ends with the command's
 * own status and prints nothing more. Any other failure to write stdout (a full disk) exits 2.
 */
export function runBin(main: (argv: string[], io: Io) => number, argv: string[]): void {
  // Node reports a failed write as an event after the write returned, never as a throw.
  process.stdout.on('error', stdoutFailed);
  // A failure of stderr has nowhere to be told; the status still says how the command went.
  process.stderr.on('error', () => undefined);
  process.exitCode = main(argv, {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
  });
}

function stdoutFailed(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') return;
  process.exitCode = EXIT_BAD_INVOCATION;
  process.stderr.write(`error: cannot write to stdout: ${describe(error)}\n`);
}
