import { UsageError } from './command';

/**
 * The most bytes a command reads from its files, all together, unless `--max-bytes` says otherwise:
 * room for any real manifest set, while a stray dump or a device fails at once instead of taking
 * the machine's memory (parsing takes several times the size of the text).
 */
export const DEFAULT_MAX_BYTES = 64 * 2 ** 20;

const UNITS: ReadonlyArray<readonly [string, number]> = [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];

/** The limit `--max-bytes` gives: bytes, or `Ki`, `Mi` or `Gi` as Kubernetes writes quantities. */
export function readLimit(given: string | undefined): number {
  if (given === undefined) return DEFAULT_MAX_BYTES;
  const match = /^([1-9][0-9]*)(Ki|Mi|Gi)?$/.exec(given);
  const bytes = match ? Number(match[1]) * (UNITS.find(([unit]) => unit === match[2])?.[1] ?? 1) : NaN;
  if (!Number.isSafeInteger(bytes)) throw new UsageError(`--max-bytes takes a size such as 64Mi (a whole number of bytes, or of Ki, Mi or Gi), not ${given}`);
  return bytes;
}

/** `64Mi` for 67108864, as `--max-bytes` takes it. */
export function formatSize(bytes: number): string {
  const [unit, size] = UNITS.find(([, unitSize]) => bytes % unitSize === 0) ?? ['', 1];
  return `${bytes / size}${unit}`;
}
