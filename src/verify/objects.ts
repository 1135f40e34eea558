import { Graph } from './graph';
import { Finding, finding } from './types';

/** Objects that share API group, kind, namespace and name: applying the set keeps only the last. */
export function checkDuplicates(graph: Graph): Finding[] {
  return graph.duplicates.map(same => finding('duplicate-object', same[0].id, 'metadata.name',
    `this object appears ${same.length} times (entries ${same.map(o => `#${o.entry}`).join(', ')}); each apply overwrites `
    + 'the one before, so the cluster keeps the last, which is the one the checks read; keep one, or rename the others'));
}
