import { MESH } from '../verify/hosts';
import { labels } from '../verify/json';
import { formatLabels } from '../verify/selectors';
import { Entrance, Picture, Rule, ruleLabel, Target } from './model';
import { printable } from './text';
import { WorkloadFacts } from './workloads';

/**
 * A picture as a Mermaid `flowchart LR`: gateways → hosts → routes → (weights) → subsets or
 * Services → workloads, mirrors dotted. Nodes are declared first, then edges, each in the order
 * the route graph is walked, so the same objects give the same text.
 */

type Shape = 'stadium' | 'square' | 'hexagon' | 'round' | 'subroutine' | 'lean';

const SHAPES: Readonly<Record<Shape, readonly [string, string]>> = {
  stadium: ['([', '])'],
  square: ['[', ']'],
  hexagon: ['{{', '}}'],
  round: ['(', ')'],
  subroutine: ['[[', ']]'],
  lean: ['[/', '/]'],
};

export function renderMermaid(picture: Picture): string {
  const chart = new Flowchart(picture.namespace, sharesByTarget(picture));
  const entrances = picture.entrances.map(entrance => entranceNode(chart, entrance));
  const start = picture.direct
    ? chart.target(picture.direct)
    : chart.node('hosts', 'hosts', 'square', picture.hosts.length > 0 ? picture.hosts : ['no hosts']);
  for (const entrance of entrances) chart.edge(entrance, start);
  if (picture.direct) chart.wire(picture.direct);
  for (const rule of picture.rules) {
    const route = chart.node(`route ${rule.protocol} ${rule.index}`, `route_${rule.protocol}_${rule.index}`, 'hexagon', ruleLines(rule));
    chart.edge(start, route);
    for (const flow of rule.flows) {
      chart.edge(route, chart.target(flow.target), flow.share, flow.mirror, isNothing(flow.share));
      chart.wire(flow.target);
    }
  }
  return chart.render(picture.title);
}

/**
 * Each target's shares, `<route>: <share>`, written in its box as well as on the lines to it: a
 * line's label may end up under another box, and a weight must never be hidden.
 */
function sharesByTarget(picture: Picture): ReadonlyMap<string, string[]> {
  const shares = new Map<string, string[]>();
  for (const rule of picture.rules) {
    for (const flow of rule.flows) shares.set(flow.target.key, [...shares.get(flow.target.key) ?? [], `${ruleLabel(rule)}: ${flow.share}`]);
  }
  return shares;
}

/** A share of nothing: its line is drawn grey and dashed, so that it does not read as live traffic. */
function isNothing(share: string): boolean {
  return share === '0%' || share === 'weight 0';
}

function entranceNode(chart: Flowchart, { gateway, external, waypoint, waypointMissing, unserved }: Entrance): string {
  if (waypoint) return chart.node(`waypoint ${waypoint}`, `waypoint_${waypoint}`, 'stadium', [`waypoint ${waypoint}`, ...waypointMissing ? ['not in these manifests'] : []]);
  if (unserved) return chart.node('mesh unserved', 'mesh', 'stadium', ['mesh, ambient', 'no waypoint: routes ignored']);
  if (gateway === MESH) return chart.node('mesh', 'mesh', 'stadium', ['mesh']);
  return chart.node(`gateway ${gateway}`, `gw_${gateway}`, 'stadium', [`Gateway ${gateway}`, ...external ? ['not in these manifests'] : []]);
}

function ruleLines(rule: Rule): string[] {
  const title = rule.name === undefined ? ruleLabel(rule) : `route ${ruleLabel(rule)}`;
  return [title, ...rule.conditions, ...rule.plan ?? [], ...rule.action ? [rule.action] : [], ...rule.badges ?? []];
}

function targetLines(target: Target, namespace: string): string[] {
  if (target.label) return [...target.label];
  const elsewhere = target.ownHost ? [] : [target.host];
  const empty = target.workloads.length === 0;
  if (target.kind === 'subset') {
    const subsetLabels = target.subsetLabels;
    // A host outside the set has its DestinationRule wherever the host is.
    if (!subsetLabels) return [`subset ${target.subset}`, ...elsewhere, target.service ? 'not defined' : 'not in these manifests'];
    // A version is one workload: a subset over several mixes versions in one share (verify's subset-selects-many).
    const many = target.workloads.length > 1 ? [`warning: selects ${target.workloads.length} workloads`] : [];
    return [`subset ${target.subset}`, ...elsewhere, formatLabels(subsetLabels), ...empty ? ['selects no pods'] : many];
  }
  if (target.service) {
    const { service } = target;
    return [`Service ${qualified(service.namespace, service.name, namespace)}`, `selector ${formatLabels(labels(service.spec, 'selector'))}`,
      ...empty ? ['selects no pods'] : []];
  }
  return [`host ${target.host}`, ...target.subset === undefined ? [] : [`subset ${target.subset}`], 'not in these manifests'];
}

/** The one workload of a target, which its box holds; undefined for none, or several (a subset that mixes versions). */
function soleWorkload(target: Target): WorkloadFacts | undefined {
  return target.workloads.length === 1 ? target.workloads[0] : undefined;
}

function workloadLines(workload: WorkloadFacts, namespace: string): string[] {
  return [`${workload.kind} ${qualified(workload.namespace, workload.name, namespace)}`, ...workload.images.map(shortImage), `replicas: ${workload.replicas}`];
}

/**
 * An image as `name:tag` (or `name@digest`), without its registry and path, so that a box fits
 * GitHub's page width; the table keeps the whole reference.
 */
export function shortImage(image: string): string {
  return image.slice(image.lastIndexOf('/') + 1);
}

/** A name with its namespace when that differs from the picture's. */
function qualified(objectNamespace: string, name: string, namespace: string): string {
  return objectNamespace === namespace ? name : `${objectNamespace}/${name}`;
}

const IDLE_STYLE = 'stroke:#999,stroke-dasharray:4 4,color:#999';

export class Flowchart {
  private readonly ids = new Map<string, string>();
  private readonly taken = new Set<string>();
  private readonly nodes: string[] = [];
  private readonly edges: string[] = [];
  private readonly wired = new Set<string>();
  /** Indexes of the edges to draw grey and dashed, as Mermaid's `linkStyle` counts them. */
  private readonly idle: number[] = [];

  /**
   * `namespace` is the picture's: names in it are written without one; `shares` go in the targets'
   * boxes. `direction` is Mermaid's: LR for traffic, which flows left to right.
   */
  public constructor(
    private readonly namespace: string,
    private readonly shares: ReadonlyMap<string, readonly string[]> = new Map(),
    private readonly direction: 'LR' | 'TB' = 'LR',
  ) {}

  /** Declares a node on first sight, and returns its id either way. */
  public node(key: string, base: string, shape: Shape, lines: readonly string[]): string {
    const known = this.ids.get(key);
    if (known) return known;
    const id = this.freeId(base);
    this.ids.set(key, id);
    const [open, close] = SHAPES[shape];
    this.nodes.push(`${id}${open}"${lines.map(escape).join('<br/>')}"${close}`);
    return id;
  }

  /** A subset, Service or host node. */
  public target(target: Target): string {
    const first = target.host.split('.')[0];
    const base = target.kind === 'subset' ? `subset_${first}_${target.subset}` : target.kind === 'service' ? `svc_${first}` : `host_${target.host}`;
    const shape: Shape = target.kind === 'subset' ? 'round' : target.kind === 'service' ? 'subroutine' : 'lean';
    const [title, ...rest] = targetLines(target, this.namespace);
    // The role goes right under the name, unless a controller's own box already says it.
    const role = target.role !== undefined && !target.label ? [target.role] : [];
    const merged = soleWorkload(target);
    const workload = merged ? workloadLines(merged, this.namespace) : [];
    return this.node(`target ${target.key}`, base, shape, [title, ...role, ...rest, ...workload, ...this.shares.get(target.key) ?? []]);
  }

  /**
   * Edges from a target to its workloads, once per target, after the edge that first reaches it.
   * A target with one workload holds it in its own box, one column less to fit GitHub's width.
   */
  public wire(target: Target): void {
    if (this.wired.has(target.key) || soleWorkload(target)) return;
    this.wired.add(target.key);
    const from = this.target(target);
    for (const workload of target.workloads) {
      this.edge(from, this.node(`workload ${workload.id}`, `${workload.kind.toLowerCase()}_${workload.name}`, 'square', workloadLines(workload, this.namespace)));
    }
  }

  public edge(from: string, to: string, label?: string, dotted = false, idle = false): void {
    const arrow = dotted ? '-.->' : '-->';
    if (idle) this.idle.push(this.edges.length);
    this.edges.push(`${from} ${arrow}${label === undefined ? '' : `|"${escape(label)}"|`} ${to}`);
  }

  public render(title: string): string {
    const styles = this.idle.length > 0 ? [`linkStyle ${this.idle.join(',')} ${IDLE_STYLE}`] : [];
    return [`flowchart ${this.direction}`, `%% ${printable(title)}`, ...this.nodes, ...this.edges, ...styles].map((line, i) => (i === 0 ? line : `  ${line}`)).join('\n') + '\n';
  }

  /**
   * Ids are the node's kind and name with every other character made `_`, so they hold no dots
   * or slashes; names that clash that way get `_2`, `_3`, in the order they are met.
   */
  private freeId(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_]+/g, '_');
    let id = clean;
    for (let n = 2; this.taken.has(id); n++) id = `${clean}_${n}`;
    this.taken.add(id);
    return id;
  }
}

/**
 * Label text inside `"…"`: quotes, `#` (Mermaid's entity marker), `<`, `>` and `&` (HTML) and
 * backticks (markdown strings) become Mermaid's numeric entity codes, line breaks spaces, and
 * other control characters printable escapes. A hyphen becomes the non-breaking hyphen U+2011,
 * which looks the same: browsers break lines after a hyphen, and a box would show `istio-` over
 * `system`, a name no one wrote.
 */
function escape(text: string): string {
  return printable(text.replace(/[\r\n\t]+/g, ' ')).replace(/["#<>&`]/g, c => `#${c.charCodeAt(0)};`).replace(/-/g, '#8209;');
}
