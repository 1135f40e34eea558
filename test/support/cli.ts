import { main } from '../../src/cli';

/** What one in-process run of the CLI printed, and its exit code. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(...argv: string[]): Run {
  let stdout = '';
  let stderr = '';
  const code = main(argv, { stdout: text => { stdout += text; }, stderr: text => { stderr += text; } });
  return { code, stdout, stderr };
}
