import { Graph, ManifestObject, groupBy } from './graph';
import { Finding, finding } from './types';

/** Objects that share API group, kind, namespace and name: applying the set keeps only the last. */
export function checkDuplicates(graph: Graph): Finding[] {
  const copies: (readonly ManifestObject[])[] = [];
  for (const ofGroup of graph.byKind.values()) {
    for (const ofKind of ofGroup.values()) {
      // By name first, which tells almost every object apart, then by namespace; each string is compared as read.
      for (const sameName of groupBy(ofKind, o => o.name).values()) {
        // Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: a lone object has no copy; skipping it only saves time
        if (sameName.length < 2) continue;
        for (const same of groupBy(sameName, o => o.namespace).values()) if (same.length > 1) copies.push(same);
      }
    }
  }
  return copies.map(same => finding('duplicate-object', same[0].id, 'metadata.name',
    `this object appears ${same.length} times (entries ${same.map(o => `#${o.entry}`).join(', ')}); each apply overwrites `
    + `the one before, and checks see only the first; keep one, or rename the others`));
}
