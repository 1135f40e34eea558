import { markdownOf, mermaidOf, tableOf } from './markdown';
import { DiagramOptions } from './model';

/**
 * Traffic pictures of plain manifest JSON, from any source: one per VirtualService, one per Gateway
 * API HTTPRoute or GRPCRoute, one per Flagger Canary (the routes and Services Flagger will make, by
 * role, with the plan), and one per Service that no route reaches. Each shows gateway, mesh or
 * waypoint → host → routes → weights → subsets or backend Services → the workloads they select.
 *
 * In TypeScript, the functions `diagramMarkdown`, `diagramMermaid` and `diagramTable` are the
 * same API under their earlier names.
 */
export class Diagram {
  /**
   * A Markdown document: `# title`, then per picture a `##` heading, the Mermaid flowchart and the
   * table.
   *
   * @param objects the manifests to draw, as plain JSON objects, taken as `Verify.manifests` takes them.
   * @param title the document's title, shown as written: line breaks and other control characters
   * are escaped, and so is Markdown markup (`*`, `<` …).
   * @param options objects to resolve routes against, and the default namespace.
   * @returns the document; it says so when there is no traffic to draw.
   */
  public static markdown(objects: unknown[], title: string, options?: DiagramOptions): string {
    return markdownOf('Diagram.markdown', objects, title, options);
  }

  /**
   * Every picture as a Mermaid flowchart, separated by blank lines.
   *
   * @param objects the manifests to draw, as plain JSON objects.
   * @param options objects to resolve routes against, and the default namespace.
   * @returns the flowcharts; empty when nothing is routed.
   */
  public static mermaid(objects: unknown[], options?: DiagramOptions): string {
    return mermaidOf('Diagram.mermaid', objects, options);
  }

  /**
   * Every picture as a text table under its title, one row per destination and workload, in the
   * manner of `kubectl argo rollouts get`; the tables are separated by blank lines.
   *
   * @param objects the manifests to draw, as plain JSON objects.
   * @param options objects to resolve routes against, and the default namespace.
   * @returns the tables; empty when nothing is routed.
   */
  public static table(objects: unknown[], options?: DiagramOptions): string {
    return tableOf('Diagram.table', objects, options);
  }

  private constructor() {}
}
