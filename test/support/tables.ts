/**
 * The rows of a diagram table under its title line, by column: a cell is what stands under its
 * header, so that blank cells (a rule's second destination) keep their place.
 */
export function tableRows(table: string): string[][] {
  const [header, ...rows] = table.trimEnd().split('\n').slice(1);
  const starts = [...header.matchAll(/\S+/g)].map(m => m.index!);
  return rows.map(row => starts.map((start, k) => row.slice(start, starts[k + 1]).trim()));
}

/** The columns of a diagram table, in order. */
export const COLUMNS = { route: 0, match: 1, gateway: 2, port: 3, version: 4, weight: 5, workload: 6, replicas: 7, image: 8 } as const;
