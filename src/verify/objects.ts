import { Graph, groupBy } from './graph';
import { Finding, finding } from './types';

/** Objects that share API group, kind, namespace and name: applying the set keeps only the last. */
export function checkDuplicates(graph: Graph): Finding[] {
  // By kind, then name, which tells almost every object apart, then namespace: each string is compared as read.
  const byName = [...graph.byKind.values()].flatMap(ofGroup => [...ofGroup.values()]).flatMap(ofKind => [...groupBy(ofKind, o => o.name).values()]);
  // Stryker disable next-line ConditionalExpression,EqualityOperator,MethodExpression: a lone object has no copy; skipping it only saves time
  const sharingName = byName.filter(sameName => sameName.length > 1);
  const copies = sharingName.flatMap(sameName => [...groupBy(sameName, o => o.namespace).values()]).filter(same => same.length > 1);
  return copies.map(same => finding('duplicate-object', same[0].id, 'metadata.name',
    `this object appears ${same.length} times (entries ${same.map(o => `#${o.entry}`).join(', ')}); each apply overwrites `
    + `the one before, and checks see only the first; keep one, or rename the others`));
}
