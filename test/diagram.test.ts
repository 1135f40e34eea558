import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'fs';
import { join } from 'path';
import { Yaml } from 'cdk8s';
import { run } from './support/cli';
import { exampleCharts } from './support/manifests';
import { tempDir } from './support/tmp';
import { diagramMarkdown, diagramMermaid, diagramTable } from '../src/diagram';

type Manifest = any;

interface Example {
  readonly name: string;
  readonly objects: Manifest[];
}

function examples(): Example[] {
  return exampleCharts().map(chart => ({ name: chart.node.id, objects: chart.toJson() }));
}

const EXAMPLES = examples();

function example(name: string): Example {
  const found = EXAMPLES.find(e => e.name === name);
  if (!found) throw new Error(`no example ${name}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// A structural Mermaid validator: no renderer, but every line must be a comment, a node
// declaration with a quoted label in a known shape, or an edge between declared nodes.
// ---------------------------------------------------------------------------------------------

interface MermaidNode {
  readonly shape: string;
  readonly lines: readonly string[];
}

interface MermaidEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string | undefined;
  readonly dotted: boolean;
}

interface Flowchart {
  readonly comments: readonly string[];
  readonly nodes: ReadonlyMap<string, MermaidNode>;
  readonly edges: readonly MermaidEdge[];
  /** Indexes of the edges a `linkStyle` line draws grey and dashed: shares of nothing. */
  readonly idle: ReadonlySet<number>;
}

const SHAPES: Readonly<Record<string, string>> = { '([': '])', '[[': ']]', '[/': '/]', '{{': '}}', '[': ']', '(': ')' };
const ID = '[A-Za-z][A-Za-z0-9_]*';
const NODE = new RegExp(`^(${ID})(\\(\\[|\\[\\[|\\[/|\\{\\{|\\[|\\()"([^"]*)"(\\]\\)|\\]\\]|/\\]|\\}\\}|\\]|\\))$`);
const EDGE = new RegExp(`^(${ID}) (-->|-\\.->)(?:\\|"([^"]*)"\\|)? (${ID})$`);
/** The one style the diagrams give lines: grey and dashed, for shares of nothing. */
const LINK_STYLE = /^linkStyle (\d+(?:,\d+)*) stroke:#999,stroke-dasharray:4 4,color:#999$/;
const RESERVED = new Set(['end', 'graph', 'flowchart', 'subgraph', 'style', 'class', 'classdef', 'click', 'linkstyle', 'default', 'direction']);

/** Splits text holding several flowcharts, each starting with `flowchart LR`, and validates each. */
function parseFlowcharts(text: string): Flowchart[] {
  if (!text.endsWith('\n')) throw new Error('the text does not end with a newline');
  const charts = text.trimEnd().split(/\n\n(?=flowchart )/);
  return charts.map(chart => parseFlowchart(chart));
}

function parseFlowchart(text: string): Flowchart {
  const [header, ...lines] = text.trimEnd().split('\n');
  if (header !== 'flowchart LR' && header !== 'flowchart TB') throw new Error(`not a flowchart: ${header}`);
  const comments: string[] = [];
  const nodes = new Map<string, MermaidNode>();
  const edges: MermaidEdge[] = [];
  const idle = new Set<number>();
  for (const raw of lines) {
    if (!raw.startsWith('  ') || raw.trim() !== raw.slice(2)) throw new Error(`badly indented line: ${JSON.stringify(raw)}`);
    const line = raw.slice(2);
    checkBalanced(line);
    if (line.startsWith('%% ')) {
      comments.push(line.slice(3));
      continue;
    }
    const node = NODE.exec(line);
    if (node) {
      const [, id, open, label, close] = node;
      if (SHAPES[open] !== close) throw new Error(`shape ${open}…${close} does not close: ${line}`);
      if (RESERVED.has(id.toLowerCase())) throw new Error(`reserved word as id: ${id}`);
      if (nodes.has(id)) throw new Error(`node ${id} declared twice`);
      if (edges.length > 0) throw new Error(`node ${id} declared after the edges`);
      nodes.set(id, { shape: open, lines: label.split('<br/>').map(checkLabel).map(hyphens) });
      continue;
    }
    const edge = EDGE.exec(line);
    if (edge) {
      const [, from, arrow, label, to] = edge;
      for (const id of [from, to]) if (!nodes.has(id)) throw new Error(`edge ${line} names undeclared node ${id}`);
      edges.push({ from, to, label: label === undefined ? undefined : hyphens(checkLabel(label)), dotted: arrow === '-.->' });
      continue;
    }
    const style = LINK_STYLE.exec(line);
    if (style && raw === lines[lines.length - 1]) {
      for (const index of style[1].split(',').map(Number)) {
        if (!edges[index]) throw new Error(`linkStyle names edge ${index}, of ${edges.length}`);
        idle.add(index);
      }
      continue;
    }
    throw new Error(`not a comment, node or edge: ${JSON.stringify(line)}`);
  }
  // A share of nothing is grey and dashed, and only such a share.
  edges.forEach((edge, i) => {
    if (idle.has(i) !== ['0%', 'weight 0'].includes(edge.label ?? '')) throw new Error(`edge ${edge.from} → ${edge.to} (${edge.label}) is styled wrongly`);
  });
  for (const id of nodes.keys()) {
    if (!edges.some(e => e.from === id || e.to === id)) throw new Error(`node ${id} is on no edge`);
  }
  return { comments, nodes, edges, idle };
}

/** Brackets outside quoted labels pair up. */
function checkBalanced(line: string): void {
  const outside = line.startsWith('%%') ? '' : line.replace(/"[^"]*"/g, '');
  if (outside.includes('"')) throw new Error(`unpaired quote: ${line}`);
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const c of outside) {
    if ('([{'.includes(c)) stack.push(c);
    if (')]}'.includes(c) && stack.pop() !== pairs[c]) throw new Error(`unbalanced brackets: ${line}`);
  }
  if (stack.length > 0) throw new Error(`unbalanced brackets: ${line}`);
}

/** A label line holds no raw quotes, angle brackets, ampersands or backticks, and `#` only in entity codes. */
function checkLabel(label: string): string {
  if (/["<>&`\n\r]/.test(label)) throw new Error(`unescaped character in label ${JSON.stringify(label)}`);
  if (/#(?!\d+;)/.test(label)) throw new Error(`bare # in label ${JSON.stringify(label)}`);
  return label;
}

/** Hyphens are written as non-breaking ones (U+2011), so that names never break at them; they read as hyphens. */
function hyphens(label: string): string {
  return label.replace(/#8209;/g, '-');
}

/** The label text as a reader sees it. */
function unescape(label: string): string {
  // A hyphen is written as a non-breaking one, so that names never break at it; it reads as a hyphen.
  return label.replace(/#(\d+);/g, (_, code) => String.fromCharCode(Number(code))).replace(/\u2011/g, '-');
}

function nodeWithFirstLine(chart: Flowchart, first: string): [string, MermaidNode] {
  const found = [...chart.nodes].filter(([, node]) => unescape(node.lines[0]) === first);
  if (found.length !== 1) throw new Error(`expected one node titled ${JSON.stringify(first)}, found ${found.length}`);
  return found[0];
}

function edgesFrom(chart: Flowchart, id: string): MermaidEdge[] {
  return chart.edges.filter(e => e.from === id);
}

describe('the Mermaid checker', () => {
  test.each([
    ['the header is not a flowchart', 'graph TD\n  a["x"]\n', 'not a flowchart: graph TD'],
    ['an id holds a dot', 'flowchart LR\n  a.b["x"]\n  c["y"]\n  a.b --> c\n', 'not a comment, node or edge: "a.b'],
    ['a label holds a raw quote', 'flowchart LR\n  a["say "hi""]\n  b["y"]\n  a --> b\n', 'not a comment, node or edge: "a[\\"say'],
    ['a label holds a bare #', 'flowchart LR\n  a["#1"]\n  b["y"]\n  a --> b\n', 'bare # in label "#1"'],
    ['a shape does not close', 'flowchart LR\n  a["x"/]\n  b["y"]\n  a --> b\n', 'shape […/] does not close'],
    ['an edge names an undeclared node', 'flowchart LR\n  a["x"]\n  a --> b\n', 'edge a --> b names undeclared node b'],
    ['a node is on no edge', 'flowchart LR\n  a["x"]\n  b["y"]\n  c["z"]\n  a --> b\n', 'node c is on no edge'],
    ['an id is a keyword', 'flowchart LR\n  end["x"]\n  b["y"]\n  end --> b\n', 'reserved word as id: end'],
  ])('fails when %s', (_, text, message) => {
    expect(() => parseFlowcharts(text)).toThrow(message);
  });
});

// ---------------------------------------------------------------------------------------------
// Expectations derived from the objects themselves, without the code under test.
// ---------------------------------------------------------------------------------------------

const byKind = (objects: Manifest[], kind: string) => objects.filter(o => o.kind === kind);

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'Rollout'];

function selected(objects: Manifest[], namespace: string, selector: Record<string, string>): Manifest[] {
  return objects.filter(w => WORKLOAD_KINDS.includes(w.kind) && (w.metadata.namespace ?? 'default') === namespace
    && w.spec.template && Object.entries(selector).every(([k, v]) => w.spec.template.metadata?.labels?.[k] === v));
}

/** Istio expands a dot-free short name in the namespace of the object that names it. */
function fqdn(host: string, namespace: string): string {
  return host.includes('.') ? host : `${host}.${namespace}.svc.cluster.local`;
}

function serviceOfHost(objects: Manifest[], host: string): Manifest {
  const service = byKind(objects, 'Service').find(s => `${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local` === host);
  if (!service) throw new Error(`no service for ${host}`);
  return service;
}

function imagesOf(workload: Manifest): string[] {
  return (workload.spec.template?.spec?.containers ?? []).map((c: Manifest) => c.image);
}

/** The Deployments that take a destination's traffic: the Service's selector plus the subset's labels. */
function expectedReceivers(objects: Manifest[], host: string, subset: string | undefined): Manifest[] {
  const service = serviceOfHost(objects, host);
  const rule = byKind(objects, 'DestinationRule').find(r => fqdn(r.spec.host, r.metadata.namespace) === host);
  const labels = subset === undefined ? {} : rule.spec.subsets.find((s: Manifest) => s.name === subset).labels;
  return selected(objects, service.metadata.namespace, { ...service.spec.selector, ...labels });
}

function expectedReplicas(objects: Manifest[], workload: Manifest): RegExp {
  const hpa = byKind(objects, 'HorizontalPodAutoscaler').find(h => h.spec.scaleTargetRef.kind === workload.kind
    && h.spec.scaleTargetRef.name === workload.metadata.name);
  if (hpa) return new RegExp(`^replicas: auto \\(HPA ${hpa.spec.minReplicas ?? 1}-${hpa.spec.maxReplicas}\\)$`);
  return new RegExp(`^replicas: ${workload.spec.replicas ?? 'auto'}$`);
}

function expectedTargetTitle(objects: Manifest[], vs: Manifest, destination: Manifest): string {
  if (destination.subset !== undefined) return `subset ${destination.subset}`;
  const namespace = vs.metadata.namespace;
  const service = serviceOfHost(objects, fqdn(destination.host, namespace));
  return `Service ${service.metadata.namespace === namespace ? '' : `${service.metadata.namespace}/`}${service.metadata.name}`;
}

/**
 * A target holds its one workload in its own box, or leads to exactly the expected workloads, each
 * with its images and replicas.
 */
function expectWorkloads(chart: Flowchart, objects: Manifest[], targetId: string, workloads: Manifest[], role?: string): void {
  const title = (w: Manifest) => `${w.kind} ${w.metadata.name}${before(w, role) ? ` (${role})` : ''}`;
  // Boxes show images as name:tag, without registry and path.
  const lines = (w: Manifest) => [title(w), ...before(w, role) ? ['the revision before'] : imagesOf(w).map(i => i.slice(i.lastIndexOf('/') + 1))];
  const reached = edgesFrom(chart, targetId).map(e => chart.nodes.get(e.to)!);
  if (workloads.length === 1) {
    expect(reached).toEqual([]);
    const own = chart.nodes.get(targetId)!.lines;
    const at = own.indexOf(title(workloads[0]));
    expect(own.slice(at, at + lines(workloads[0]).length)).toEqual(lines(workloads[0]));
    expect(own[at + lines(workloads[0]).length]).toMatch(expectedReplicas(objects, workloads[0]));
    return;
  }
  expect(reached.map(n => n.lines[0]).sort()).toEqual(workloads.map(title).sort());
  for (const workload of workloads) {
    const node = reached.find(n => n.lines[0] === title(workload))!;
    expect(node.lines.slice(0, -1)).toEqual(lines(workload));
    expect(node.lines[node.lines.length - 1]).toMatch(expectedReplicas(objects, workload));
  }
}

/** A Rollout's stable (or active) pods run the revision before its template, which no manifest holds. */
function before(workload: Manifest, role: string | undefined): boolean {
  return workload.kind === 'Rollout' && (role === 'stable' || role === 'active');
}

/**
 * The role a Rollout of the VirtualService's namespace gives a destination of one of its routes:
 * by the Services (canary's stableService/canaryService, blue/green's activeService/previewService)
 * or the DestinationRule subsets it names, on the routes of the VirtualService it names (every
 * route for blue/green).
 */
function argoRole(objects: Manifest[], vs: Manifest, rule: Manifest, destination: Manifest): string | undefined {
  const namespace = vs.metadata.namespace;
  const host = fqdn(destination.host, namespace);
  for (const rollout of objects.filter(o => o.kind === 'Rollout' && o.metadata.namespace === namespace)) {
    const { canary, blueGreen } = rollout.spec.strategy;
    const byService = (services: [string, string][]) => services.find(([name]) => name !== undefined && fqdn(name, namespace) === host)?.[1];
    if (blueGreen) {
      const role = byService([[blueGreen.activeService, 'active'], [blueGreen.previewService, 'preview']]);
      if (role) return role;
      continue;
    }
    const istio = canary?.trafficRouting?.istio;
    const managed = [istio?.virtualService, ...istio?.virtualServices ?? []].find(v => v?.name === vs.metadata.name);
    if (!managed || !(managed.routes ?? []).includes(rule.name)) continue;
    const rules = istio.destinationRule;
    if (rules && destination.subset !== undefined && fqdn(rules.name, namespace) === host) {
      return destination.subset === rules.stableSubsetName ? 'stable' : destination.subset === rules.canarySubsetName ? 'canary' : undefined;
    }
    const role = byService([[canary.stableService, 'stable'], [canary.canaryService, 'canary']]);
    if (role) return role;
  }
  return undefined;
}

/** The role a canary Git walks names in its annotation, by subset of the VirtualService's own hosts. */
function annotatedRole(vs: Manifest, destination: Manifest): string | undefined {
  const written: string | undefined = vs.metadata.annotations?.['cdk8s-istio-release/roles'];
  const own = vs.spec.hosts.some((h: string) => fqdn(h, vs.metadata.namespace) === fqdn(destination.host, vs.metadata.namespace));
  if (!written || !own || destination.subset === undefined) return undefined;
  return Object.fromEntries(written.split(',').map(pair => pair.split('=')))[destination.subset];
}

function routeTitle(rule: Manifest, protocol: string, index: number): string {
  if (rule.name === undefined) return `${protocol}[${index}]`;
  return protocol === 'http' ? `route ${rule.name}` : `route ${protocol} ${rule.name}`;
}

function expectVirtualService(chart: Flowchart, objects: Manifest[], vs: Manifest): void {
  expect(chart.comments[0]).toBe(`VirtualService ${vs.metadata.namespace}/${vs.metadata.name}`);
  const hosts = chart.nodes.get('hosts')!;
  expect(hosts.lines).toEqual(vs.spec.hosts.map((h: string) => fqdn(h, vs.metadata.namespace)));
  const gateways: string[] = vs.spec.gateways ?? ['mesh'];
  for (const gateway of gateways) {
    const [id] = nodeWithFirstLine(chart, gateway === 'mesh' ? 'mesh' : `Gateway ${gateway}`);
    expect(chart.edges).toContainEqual({ from: id, to: 'hosts', label: undefined, dotted: false });
  }
  for (const protocol of ['http', 'tcp']) {
    (vs.spec[protocol] ?? []).forEach((rule: Manifest, index: number) => {
      const [routeId] = nodeWithFirstLine(chart, routeTitle(rule, protocol, index));
      expect(chart.edges).toContainEqual({ from: 'hosts', to: routeId, label: undefined, dotted: false });
      const out = edgesFrom(chart, routeId);
      expect(out.filter(e => !e.dotted)).toHaveLength(rule.route.length);
      rule.route.forEach((entry: Manifest, j: number) => {
        const [targetId] = nodeWithFirstLine(chart, expectedTargetTitle(objects, vs, entry.destination));
        const weight = rule.route.length === 1 ? 100 : entry.weight;
        expect(out[j]).toEqual({ from: routeId, to: targetId, label: `${weight}%`, dotted: false });
        // The weight is in the box too, where no line can cover it.
        const ruleLabel = rule.name === undefined ? `${protocol}[${index}]` : protocol === 'http' ? rule.name : `${protocol} ${rule.name}`;
        expect(chart.nodes.get(targetId)!.lines).toContain(`${ruleLabel}: ${weight}%`);
        expectWorkloads(chart, objects, targetId, expectedReceivers(objects, fqdn(entry.destination.host, vs.metadata.namespace), entry.destination.subset),
          argoRole(objects, vs, rule, entry.destination));
      });
      if (rule.mirror) {
        const [mirrorId] = nodeWithFirstLine(chart, expectedTargetTitle(objects, vs, rule.mirror));
        expect(out).toContainEqual({ from: routeId, to: mirrorId, label: `mirror ${rule.mirrorPercentage?.value ?? 100}%`, dotted: true });
      }
    });
  }
}

/** A table's columns start where the header's do, and each body row's cells are in them. */
function parseTable(text: string): string[][] {
  const [header, ...rows] = text.trimEnd().split('\n');
  const starts = [...header.matchAll(/\S+/g)].map(m => m.index!);
  for (const row of [header, ...rows]) {
    expect(row).toBe(row.trimEnd());
    starts.slice(1).forEach(start => {
      if (row.length > start) expect(row.slice(start - 2, start)).toBe('  ');
    });
  }
  return [header, ...rows].map(row => starts.map((start, k) => row.slice(start, starts[k + 1]).trim()));
}

/** The markdown sections of one example, by `##` title: the mermaid and the text block. */
function sections(markdown: string): Map<string, { mermaid: string; table: string }> {
  const found = new Map<string, { mermaid: string; table: string }>();
  for (const part of markdown.split(/^## /m).slice(1)) {
    const title = part.slice(0, part.indexOf('\n'));
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(part)?.[1];
    const table = /```text\n([\s\S]*?)```/.exec(part)?.[1];
    if (mermaid === undefined || table === undefined) throw new Error(`section ${title} lacks a block`);
    found.set(title, { mermaid, table });
  }
  return found;
}

describe('diagram of every example', () => {
  test.each(EXAMPLES.map(e => [e.name, e] as const))('%s: flowcharts follow the route graph, tables its rows', (name, { objects }) => {
    const markdown = diagramMarkdown(objects, `${name}.k8s.yaml`);
    expect(markdown.startsWith(`# ${name}.k8s.yaml\n`)).toBe(true);
    const bySection = sections(markdown);
    const virtualServices = byKind(objects, 'VirtualService');
    const httpRoutes = byKind(objects, 'HTTPRoute');
    const routedHosts = new Set([...virtualServices.flatMap(vs => [...vs.spec.hosts,
      ...['http', 'tcp'].flatMap(p => (vs.spec[p] ?? []).flatMap((r: Manifest) => [
        ...r.route.map((e: Manifest) => e.destination.host),
        ...r.mirror ? [r.mirror.host] : [],
      ]))].map(h => fqdn(h, vs.metadata.namespace))),
    ...httpRoutes.flatMap(route => [
      ...route.spec.parentRefs.filter((p: Manifest) => p.kind === 'Service').map((p: Manifest) => p.name),
      ...route.spec.rules.flatMap((r: Manifest) => [...r.backendRefs ?? [], ...(r.filters ?? []).map((f: Manifest) => f.requestMirror.backendRef)]
        .map((b: Manifest) => b.name)),
    ].map(name => fqdn(name, route.metadata.namespace)))]);
    const unrouted = byKind(objects, 'Service').filter(s => Object.keys(s.spec.selector ?? {}).length > 0
      && !routedHosts.has(`${s.metadata.name}.${s.metadata.namespace}.svc.cluster.local`));
    expect([...bySection.keys()]).toEqual([
      ...virtualServices.map(vs => `VirtualService ${vs.metadata.namespace}/${vs.metadata.name}`),
      // The redirect of an HTTPS gateway is a route too, to no backend.
      ...httpRoutes.map(route => `HTTPRoute ${route.metadata.namespace}/${route.metadata.name}`),
      ...byKind(objects, 'Canary').map(canary => `Canary ${canary.metadata.namespace}/${canary.metadata.name}`),
      ...unrouted.map(s => `Service ${s.metadata.namespace}/${s.metadata.name}`),
      // A fleet is drawn as its waves, and a Kurator rollout as the Canary Kurator makes of it.
      ...objects.filter(o => o.kind === 'ApplicationSet' || o.kind === 'Application').flatMap(o => [
        `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`,
        ...(o.spec.syncPolicies ?? []).filter((p: Manifest) => p.rollout)
          .map((p: Manifest) => `Canary ${p.rollout.workload.namespace}/${p.rollout.workload.name}, made by Kurator in each cluster`),
      ]),
    ]);
    // Every example that routes draws something (Flagger makes the routes in the cluster), and its
    // flowcharts and tables are those of the other forms.
    const drawable = [virtualServices, httpRoutes, ...['Canary', 'Service', 'ApplicationSet', 'Application'].map(kind => byKind(objects, kind))];
    expect(bySection.size > 0).toBe(drawable.some(found => found.length > 0));
    for (const route of httpRoutes) {
      const rows = parseTable(bySection.get(`HTTPRoute ${route.metadata.namespace}/${route.metadata.name}`)!.table);
      route.spec.rules.forEach((rule: Manifest, index: number) => {
        const refs = rule.backendRefs ?? [];
        const total = refs.reduce((sum: number, b: Manifest) => sum + (b.weight ?? 1), 0);
        for (const ref of refs) {
          const weight = refs.length === 1 ? '100%' : `${Math.round(((ref.weight ?? 1) / total) * 1000) / 10}%${total === 100 ? '' : ` (weight ${ref.weight ?? 1})`}`;
          const workloads = expectedReceivers(objects, fqdn(ref.name, route.metadata.namespace), undefined);
          expect(workloads.length).toBeGreaterThan(0);
          for (const workload of workloads) {
            expect(rows.find(r => r[0] === (rule.name ?? `http[${index}]`) && r[5] === weight && r[6] === workload.metadata.name)).toBeDefined();
          }
        }
      });
    }
    expect([...bySection.values()].map(s => s.mermaid).join('\n')).toBe(diagramMermaid(objects));
    expect([...bySection].map(([title, s]) => `${title}\n${s.table}`).join('\n')).toBe(diagramTable(objects));

    for (const vs of virtualServices) {
      const { mermaid, table } = bySection.get(`VirtualService ${vs.metadata.namespace}/${vs.metadata.name}`)!;
      const [chart] = parseFlowcharts(mermaid);
      expectVirtualService(chart, objects, vs);
      const rows = parseTable(table);
      expect(rows[0]).toEqual(['ROUTE', 'MATCH', 'GATEWAY', 'PORT', 'VERSION', 'WEIGHT', 'WORKLOAD', 'REPLICAS', 'IMAGE']);
      for (const protocol of ['http', 'tcp']) {
        (vs.spec[protocol] ?? []).forEach((rule: Manifest, index: number) => {
          for (const entry of rule.route) {
            const weight = `${rule.route.length === 1 ? 100 : entry.weight}%`;
            const host = fqdn(entry.destination.host, vs.metadata.namespace);
            const role = argoRole(objects, vs, rule, entry.destination) ?? annotatedRole(vs, entry.destination);
            for (const workload of expectedReceivers(objects, host, entry.destination.subset)) {
              const route = rule.name ?? `${protocol}[${index}]`;
              const name = `${workload.metadata.name}${before(workload, role) ? ` (${role})` : ''}`;
              const row = rows.find(r => r[0] === route && r[5] === weight && r[6] === name);
              expect(row).toBeDefined();
              expect(row![3]).toBe(String(entry.destination.port?.number ?? '-'));
              const own = vs.spec.hosts.some((h: string) => fqdn(h, vs.metadata.namespace) === host);
              const subset = entry.destination.subset;
              const version = role !== undefined ? (subset !== undefined && subset !== role ? `${subset} (${role})` : role)
                : subset === undefined ? (own ? '-' : `service ${serviceOfHost(objects, host).metadata.name}`) : (own ? subset : `${subset} of ${host}`);
              expect(row![4]).toBe(version);
              expect(`replicas: ${row![7]}`).toMatch(expectedReplicas(objects, workload));
              expect(row![8]).toBe(before(workload, role) ? 'the revision before' : imagesOf(workload).join(', ') || '-');
            }
          }
        });
      }
    }
    for (const service of unrouted) {
      const { mermaid } = bySection.get(`Service ${service.metadata.namespace}/${service.metadata.name}`)!;
      const [chart] = parseFlowcharts(mermaid);
      const [id] = nodeWithFirstLine(chart, `Service ${service.metadata.name}`);
      expectWorkloads(chart, objects, id, selected(objects, service.metadata.namespace, service.spec.selector));
    }
    expect(markdown).toMatchSnapshot();
  });

  test('the README shows reviews-canary\'s picture and table as the command draws them today', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Traffic pictures'));
    const block = (lang: string) => new RegExp(`\`\`\`${lang}\n([\\s\\S]*?)\`\`\``).exec(section)![1];
    const { objects } = example('reviews-canary');
    expect(block('mermaid')).toBe(`${diagramMermaid(objects)}\n`.replace(/\n+$/, '\n'));
    expect(block('text')).toBe(`${diagramTable(objects)}\n`.replace(/\n+$/, '\n'));
  });

  test('reviews-canary: 75% to v1 and 25% to v2, in the mesh only', () => {
    const { objects } = example('reviews-canary');
    const mermaid = diagramMermaid(objects);
    expect(mermaid).toContain('  mesh(["mesh"])\n');
    expect(mermaid).toContain('  route_http_0 -->|"75%"| subset_reviews_v1\n');
    expect(mermaid).toContain('  route_http_0 -->|"25%"| subset_reviews_v2\n');
    // A subset of one workload holds it in its own box.
    expect(mermaid).not.toContain('deployment_reviews_v2');
    expect(mermaid).toContain(
      '  subset_reviews_v1("subset v1<br/>stable<br/>version=v1<br/>Deployment reviews#8209;v1<br/>examples#8209;bookinfo#8209;reviews#8209;v1:1.20.2<br/>replicas: 2<br/>primary: 75%")\n');
    expect(diagramTable(objects)).toBe([
      'VirtualService prod/reviews',
      'ROUTE    MATCH         GATEWAY  PORT  VERSION      WEIGHT  WORKLOAD    REPLICAS  IMAGE',
      'primary  all requests  mesh     -     v1 (stable)  75%     reviews-v1  2         docker.io/istio/examples-bookinfo-reviews-v1:1.20.2',
      'primary                         -     v2 (canary)  25%     reviews-v2  2         docker.io/istio/examples-bookinfo-reviews-v2:1.20.2',
      '',
    ].join('\n'));
  });

  test('bookinfo-dark-launch: tester routes by header and source labels, and a dotted mirror to v3', () => {
    const mermaid = diagramMermaid(example('bookinfo-dark-launch').objects);
    // The resilience settings are badges on each route, as Kiali shows them.
    expect(mermaid).toContain('route_http_0{{"route jason<br/>header end#8209;user=jason<br/>timeout 10s<br/>retries 3<br/>fault delay 2s 10%<br/>fault abort 503 5%"}}');
    expect(mermaid).toContain('route_http_1{{"route qa<br/>sourceLabels app=qa#8209;runner<br/>timeout 10s<br/>retries 3<br/>fault delay 2s 10%<br/>fault abort 503 5%"}}');
    expect(mermaid).toContain('route_http_2{{"route primary<br/>all other requests<br/>timeout 10s<br/>retries 3"}}');
    expect(mermaid).toContain('  route_http_2 -->|"100%"| subset_reviews_v2\n');
    expect(mermaid).toContain('  route_http_2 -->|"0%"| subset_reviews_v3\n');
    expect(mermaid).toContain('  route_http_2 -.->|"mirror 20%"| subset_reviews_v3\n');
    expect(diagramTable(example('bookinfo-dark-launch').objects)).toContain(
      'primary                                       -     v3 (canary)  mirror 20%  reviews-v3  2         docker.io/istio/examples-bookinfo-reviews-v3:1.20.2\n');
    // The match and where the route applies lead the rule's first row.
    expect(diagramTable(example('bookinfo-dark-launch').objects)).toContain(
      'qa       sourceLabels app=qa-runner  mesh     -     v3 (canary)  100%        reviews-v3  2         docker.io/istio/examples-bookinfo-reviews-v3:1.20.2\n');
  });

  test('podinfo-autoscaled-canary: autoscaled replicas, and a gateway outside the manifests', () => {
    const mermaid = diagramMermaid(example('podinfo-autoscaled-canary').objects);
    expect(mermaid).toContain('Deployment podinfo#8209;6#8209;0#8209;1<br/>podinfo:6.0.1<br/>replicas: auto (HPA 2#8209;4)');
    expect(mermaid).toContain('gw_istio_system_public_gateway(["Gateway istio#8209;system/public#8209;gateway<br/>not in these manifests"])');
    expect(mermaid).toContain('  route_http_0 -->|"90%"| subset_podinfo_6_0_0\n');
  });

  test('shop-preview-blue-green: the preview routes go to the preview Service and the idle colour behind it', () => {
    const mermaid = diagramMermaid(example('shop-preview-blue-green').objects);
    expect(mermaid).toContain('svc_storefront_preview[["Service storefront#8209;preview<br/>selector app=storefront, version=2.4.0<br/>'
      + 'Deployment storefront#8209;green<br/>storefront:2.4.0<br/>replicas: 2<br/>preview#8209;header: 100%<br/>preview#8209;host: 100%"]]');
    expect(mermaid).toContain('  route_http_0 -->|"100%"| svc_storefront_preview\n');
    // The idle colour's box holds the same pods.
    expect(mermaid).toContain('subset_storefront_green("subset green<br/>version=2.4.0<br/>Deployment storefront#8209;green<br/>storefront:2.4.0<br/>replicas: 2<br/>beta: 100%<br/>primary: 0%")');
    expect(mermaid).toContain('"route preview#8209;host<br/>authority regex ^preview\\.shop\\.example\\.com(:[0#8209;9]+)?$"');
    expect(mermaid).toContain('gw_shop_shop_gateway(["Gateway shop/shop#8209;gateway"])');
  });

  test('checkout-sticky-canary and api-multiport-canary: cookies, gateway-scoped and tcp routes in short form', () => {
    expect(diagramMermaid(example('checkout-sticky-canary').objects)).toContain('"route sticky#8209;5#8209;1#8209;0<br/>cookie checkout#8209;version=5#8209;1#8209;0"');
    const api = diagramMermaid(example('api-multiport-canary').objects);
    expect(api).toContain('"route primary#8209;gateway<br/>gateways api/api#8209;gateway"');
    expect(api).toContain('"route primary<br/>gateways mesh"');
    expect(api).toContain('route_tcp_0{{"tcp[0]<br/>port 7000"}}');
  });

  test('nginx-selector-blue-green: without a VirtualService, the Service and the colour it selects', () => {
    const { objects } = example('nginx-selector-blue-green');
    expect(diagramMermaid(objects)).toBe([
      'flowchart LR',
      '  %% Service classic/nginx',
      '  mesh(["mesh"])',
      '  svc_nginx[["Service nginx<br/>selector app=nginx, version=1.11<br/>Deployment nginx#8209;green<br/>nginx:1.11<br/>replicas: 2"]]',
      '  mesh --> svc_nginx',
      '',
    ].join('\n'));
  });

  test('the same objects give byte-identical output, copied or not', () => {
    for (const { name, objects } of EXAMPLES) {
      const copy = JSON.parse(JSON.stringify(objects));
      expect(diagramMarkdown(copy, name)).toBe(diagramMarkdown(objects, name));
      expect(diagramMarkdown(objects, name)).toBe(diagramMarkdown(objects, name));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-written manifests: the corners the examples do not reach.
// ---------------------------------------------------------------------------------------------

function deployment(name: string, labels: Record<string, string>, extra: Manifest = {}): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: `img/${name}:1` }] } },
      ...extra,
    },
  };
}

function service(name: string, selector: Record<string, string>): Manifest {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector, ports: [{ name: 'http', port: 80 }] } };
}

function destinationRule(host: string, subsets: Record<string, Record<string, string>>): Manifest {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: host, namespace: 'shop' },
    spec: { host, subsets: Object.entries(subsets).map(([name, labels]) => ({ name, labels })) },
  };
}

function virtualService(spec: Manifest, name = 'web'): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'shop' }, spec };
}

const WEB = [
  deployment('web-a', { app: 'web', version: 'a' }),
  deployment('web-b', { app: 'web', version: 'b' }, { replicas: undefined }),
  service('web', { app: 'web' }),
  destinationRule('web', { a: { version: 'a' }, b: { version: 'b' } }),
];

describe('diagram of hand-written manifests', () => {
  test('weights that do not add up to 100 are shown as shares with their weight', () => {
    const mermaid = diagramMermaid([...WEB, virtualService({
      hosts: ['web'],
      http: [{ route: [{ destination: { host: 'web', subset: 'a' }, weight: 1 }, { destination: { host: 'web', subset: 'b' }, weight: 3 }] }],
    })]);
    const [chart] = parseFlowcharts(mermaid);
    expect(edgesFrom(chart, 'route_http_0').map(e => e.label)).toEqual(['25% (weight 1)', '75% (weight 3)']);
    expect(chart.nodes.get('hosts')!.lines).toEqual(['web.shop.svc.cluster.local']);
    expect(nodeWithFirstLine(chart, 'http[0]')[1].lines).toEqual(['http[0]', 'all requests']);
    expect(nodeWithFirstLine(chart, 'subset b')[1].lines).toEqual(['subset b', 'version=b', 'Deployment web-b', 'web-b:1', 'replicas: auto', 'http[0]: 75% (weight 3)']);
  });

  test('a delegate\'s routes are entered where the VirtualServices that delegate to it are bound', () => {
    const delegate = virtualService({ http: [{ route: [{ destination: { host: 'web', subset: 'a' } }] }] }, 'web-routes');
    const root = (name: string, gateways: string[]) => virtualService({ hosts: [`${name}.example.com`], gateways, http: [{ delegate: { name: 'web-routes' } }] }, name);
    const section = (objects: Manifest[]) => diagramTable(objects).split('\n\n').find(s => s.startsWith('VirtualService shop/web-routes'));
    expect(section([...WEB, delegate])).toMatch(/\nhttp\[0\] +all requests +mesh +/);
    expect(section([...WEB, delegate, root('a', ['shop/edge']), root('b', ['shop/edge', 'mesh'])])).toMatch(/\nhttp\[0\] +all requests +shop\/edge, mesh +/);
  });

  test('a rule scoped by its matches\' gateways applies only at those its VirtualService is bound to, as istiod applies it', () => {
    const gatewayColumn = (gateways: string[], scoped: string[][]) => {
      const table = diagramTable([...WEB, virtualService({ hosts: ['web'], gateways, http: [{ match: scoped.map(g => ({ gateways: g })), route: [{ destination: { host: 'web', subset: 'a' } }] }] })]);
      return parseTable(table.slice(table.indexOf('\n') + 1))[1][2];
    };
    expect(gatewayColumn(['shop/edge', 'mesh'], [['mesh']])).toBe('mesh');
    expect(gatewayColumn(['shop/edge', 'mesh'], [['edge', 'mesh'], ['shop/edge']])).toBe('shop/edge, mesh');
    expect(gatewayColumn(['shop/edge', 'mesh'], [['other', 'edge']])).toBe('shop/edge');
    expect(gatewayColumn(['shop/edge'], [['mesh'], ['istio-system/edge']])).toBe('none');
    // A match without gateways opens the rule to every binding.
    expect(gatewayColumn(['shop/edge', 'mesh'], [['mesh'], []])).toBe('shop/edge, mesh');
  });

  test('a delegate rule scoped by its matches\' gateways applies only where its roots are bound', () => {
    const delegate = virtualService({ http: [{ match: [{ gateways: ['shop/edge', 'shop/other'] }], route: [{ destination: { host: 'web', subset: 'a' } }] }] }, 'web-routes');
    const root = virtualService({ hosts: ['web.example.com'], gateways: ['shop/edge', 'mesh'], http: [{ delegate: { name: 'web-routes' } }] }, 'root');
    const section = diagramTable([...WEB, delegate, root]).split('\n\n').find(s => s.startsWith('VirtualService shop/web-routes'));
    expect(section).toMatch(/\nhttp\[0\] +gateways shop\/edge, shop\/other +shop\/edge +/);
  });

  test('labels are quoted and escaped, and ids stay Mermaid-safe when names clash', () => {
    const objects = [
      deployment('api.v1', { app: 'api', version: 'x' }, { replicas: 1 }),
      deployment('api-v1', { app: 'api', version: 'x' }, { replicas: 1 }),
      service('api', { app: 'api' }),
      virtualService({
        hosts: ['api'],
        gateways: ['edge/public.gw', 'mesh'],
        http: [{
          name: 'say "hi" #1 <b>&`x`',
          match: [{ headers: { 'x-a': { prefix: 'p' } }, uri: { regex: '^/v[0-9]+' }, ignoreUriCase: true }, { withoutHeaders: { 'x-b': {} } }],
          route: [{ destination: { host: 'api' } }],
        }],
      }),
    ];
    const mermaid = diagramMermaid(objects);
    const [chart] = parseFlowcharts(mermaid);
    const [routeId, route] = nodeWithFirstLine(chart, 'route say "hi" #1 <b>&`x`');
    expect(route.lines.map(unescape)).toEqual([
      'route say "hi" #1 <b>&`x`',
      'uri regex ^/v[0-9]+ (any case) and header x-a prefix p',
      'or no header x-b',
    ]);
    expect(routeId).toBe('route_http_0');
    const [serviceId] = nodeWithFirstLine(chart, 'Service api');
    expect(edgesFrom(chart, serviceId).map(e => e.to)).toEqual(['deployment_api_v1', 'deployment_api_v1_2']);
    expect(nodeWithFirstLine(chart, 'Gateway edge/public.gw')[0]).toBe('gw_edge_public_gw');
    for (const id of chart.nodes.keys()) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
  });

  test('undefined subsets, hosts outside the set, redirects and mirrors to them are drawn, not dropped', () => {
    const mermaid = diagramMermaid([...WEB, virtualService({
      hosts: ['web.example.com'],
      gateways: ['shop/edge'],
      http: [
        { name: 'old', match: [{ uri: { prefix: '/old' } }], redirect: { uri: '/new', redirectCode: 301 } },
        {
          name: 'main',
          route: [{ destination: { host: 'web', subset: 'c' }, weight: 50 }, { destination: { host: 'api.example.org' }, weight: 50 }],
          mirrors: [{ destination: { host: 'web', subset: 'b' }, percentage: { value: 12.5 } }],
        },
      ],
    })]);
    const [chart] = parseFlowcharts(mermaid);
    expect(nodeWithFirstLine(chart, 'route old')[1].lines).toEqual(['route old', 'uri prefix /old', 'redirect to /new (301)']);
    expect(nodeWithFirstLine(chart, 'subset c')[1].lines).toEqual(['subset c', 'web.shop.svc.cluster.local', 'not defined', 'main: 50%']);
    expect(nodeWithFirstLine(chart, 'host api.example.org')[1].lines).toEqual(['host api.example.org', 'not in these manifests', 'main: 50%']);
    const [mainId] = nodeWithFirstLine(chart, 'route main');
    const [mirrorId] = nodeWithFirstLine(chart, 'subset b');
    expect(edgesFrom(chart, mainId)).toContainEqual({ from: mainId, to: mirrorId, label: 'mirror 12.5%', dotted: true });
    expect(nodeWithFirstLine(chart, 'Gateway shop/edge')[1].lines).toEqual(['Gateway shop/edge', 'not in these manifests']);
    const table = diagramTable([...WEB, virtualService({ hosts: ['web'], http: [{ name: 'old', redirect: { uri: '/new' } }] })]);
    expect(parseTable(table.slice(table.indexOf('\n') + 1))[1]).toEqual(['old', 'all requests', 'mesh', '-', '-', '-', '-', '-', 'redirect to /new']);
  });

  test('context objects resolve routes without being drawn', () => {
    const vs = virtualService({ hosts: ['web'], http: [{ route: [{ destination: { host: 'web', subset: 'a' } }] }] });
    const alone = diagramMarkdown([vs], 'routes.yaml', { context: WEB });
    expect(sections(alone).size).toBe(1);
    expect(alone).toContain('Deployment web#8209;a<br/>web#8209;a:1<br/>replicas: auto');
    // The Service is routed by the VirtualService in the context, so its own file draws nothing.
    expect(diagramMarkdown(WEB, 'app.yaml', { context: [vs] })).toBe([
      '# app.yaml',
      '',
      '<!-- written by cdk8s-istio-release diagram; regenerate it rather than edit it -->',
      '',
      'No VirtualService, Gateway API route, Flagger Canary or fleet, and no Service that selects pods, so there is nothing to draw.',
      '',
    ].join('\n'));
    expect(diagramMermaid(WEB, { context: [vs] })).toBe('');
    expect(diagramTable(WEB, { context: [vs] })).toBe('');
  });
});

// ---------------------------------------------------------------------------------------------
// The command line.
// ---------------------------------------------------------------------------------------------



/** The examples as dist/ holds them, one file per chart. */
/**
 * The examples are alternative scenarios, not one cluster: seed 002 is played both statically and
 * by Flagger, in the same namespace. A directory that resolves across its files holds one of each.
 */
const ONE_CLUSTER = EXAMPLES.filter(e => !e.name.startsWith('flagger-'));

function distDir(): string {
  const dir = tempDir();
  for (const { name, objects } of ONE_CLUSTER) writeFileSync(join(dir, `${name}.k8s.yaml`), Yaml.stringify(...objects));
  return dir;
}

describe('diagram command', () => {
  test('--print prints the markdown of one file', () => {
    const file = join(distDir(), 'reviews-canary.k8s.yaml');
    const { code, stdout, stderr } = run('diagram', '--print', file);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(diagramMarkdown(example('reviews-canary').objects, 'reviews-canary.k8s.yaml'));
    expect(existsSync(file.replace(/yaml$/, 'md'))).toBe(false);
  });

  test('writes <file>.md next to each yaml file of a directory, with the whole set to resolve against', () => {
    const dir = distDir();
    const { code, stdout, stderr } = run('diagram', dir);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // In the order of the file names, as the CLI reads a directory.
    const files = ONE_CLUSTER.map(e => `${e.name}.k8s.md`).sort();
    expect(stdout).toBe(files.map(file => `wrote ${join(dir, file)}\n`).join(''));
    for (const { name, objects } of ONE_CLUSTER) {
      const context = ONE_CLUSTER.filter(other => other.name !== name).flatMap(other => other.objects);
      expect(readFileSync(join(dir, `${name}.k8s.md`), 'utf8')).toBe(diagramMarkdown(objects, `${name}.k8s.yaml`, { context }));
    }
  });

  test('--format table and --format mermaid print those forms, each file under a header line', () => {
    const dir = distDir();
    const reviews = join(dir, 'reviews-canary.k8s.yaml');
    const bookinfo = join(dir, 'bookinfo-dark-launch.k8s.yaml');
    const table = run('diagram', '--print', '--format', 'table', reviews, bookinfo);
    expect(table.code).toBe(0);
    expect(table.stdout).toBe([
      `==> ${reviews} <==\n${diagramTable(example('reviews-canary').objects)}`,
      `==> ${bookinfo} <==\n${diagramTable(example('bookinfo-dark-launch').objects)}`,
    ].join('\n'));
    const mermaid = run('diagram', '--print', '--format=mermaid', reviews);
    expect(mermaid.stdout).toBe(diagramMermaid(example('reviews-canary').objects));
    parseFlowcharts(mermaid.stdout);
  });

  test('without --print, other formats are written as .mmd and .txt', () => {
    const dir = distDir();
    const file = join(dir, 'weather-canary.k8s.yaml');
    expect(run('diagram', '--format', 'mermaid', file).code).toBe(0);
    expect(run('diagram', '--format', 'table', file).code).toBe(0);
    expect(readFileSync(join(dir, 'weather-canary.k8s.mmd'), 'utf8')).toBe(diagramMermaid(example('weather-canary').objects));
    expect(readFileSync(join(dir, 'weather-canary.k8s.txt'), 'utf8')).toBe(diagramTable(example('weather-canary').objects));
  });

  test('a route in one file reaches the workloads in another', () => {
    const dir = tempDir();
    const routes = join(dir, 'routes.yaml');
    writeFileSync(routes, Yaml.stringify(virtualService({ hosts: ['web'], http: [{ route: [{ destination: { host: 'web', subset: 'a' } }] }] })));
    writeFileSync(join(dir, 'app.yaml'), Yaml.stringify(...WEB));
    expect(run('diagram', dir).code).toBe(0);
    expect(readFileSync(join(dir, 'routes.md'), 'utf8')).toContain('Deployment web#8209;a<br/>web#8209;a:1<br/>replicas: auto');
  });

  test('--help prints the usage', () => {
    const { code, stdout } = run('diagram', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: cdk8s-istio-release diagram /);
  });

  test('fails when a file is not valid yaml, with one line naming it, and writes nothing', () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'kind: Service\nmetadata: {name: [\n');
    const { code, stdout, stderr } = run('diagram', file);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(new RegExp(`^error: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid yaml: [^\n]+\n$`));
    expect(existsSync(join(dir, 'broken.md'))).toBe(false);
  });

  test('fails when a path does not exist', () => {
    const missing = join(tempDir(), 'missing.yaml');
    expect(run('diagram', '--print', missing)).toEqual({ code: 2, stdout: '', stderr: `error: ${missing}: no such file or directory\n` });
  });

  test('fails when the format is unknown, or no file is given, with the usage', () => {
    const unknown = run('diagram', '--format', 'svg', 'x.yaml');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown format svg; use markdown, mermaid or table\n\nusage: cdk8s-istio-release diagram /);
    const none = run('diagram', '--print');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: no files or directories to draw\n/);
  });

  test('fails when the markdown cannot be written, and leaves no file of its own behind', () => {
    const dir = tempDir();
    const file = join(dir, 'web.yaml');
    writeFileSync(file, Yaml.stringify(...WEB));
    mkdirSync(join(dir, 'web.md'));
    expect(run('diagram', file)).toEqual({ code: 2, stdout: '', stderr: `error: ${join(dir, 'web.md')}: cannot write: is a directory\n` });
    expect(readdirSync(dir).sort()).toEqual(['web.md', 'web.yaml']);
  });

  /** A folder with web.yaml in it, and its drawing's path. */
  function webDir(): { dir: string; input: string; drawing: string } {
    const dir = tempDir();
    const input = join(dir, 'web.yaml');
    writeFileSync(input, Yaml.stringify(...WEB));
    return { dir, input, drawing: join(dir, 'web.md') };
  }

  test('replaces the drawing of an earlier run, and leaves no other file behind', () => {
    const { dir, input, drawing } = webDir();
    writeFileSync(drawing, 'an old drawing');
    expect(run('diagram', input)).toEqual({ code: 0, stdout: `wrote ${drawing}\n`, stderr: '' });
    expect(readFileSync(drawing, 'utf8')).toBe(diagramMarkdown(WEB, 'web.yaml'));
    expect(readdirSync(dir).sort()).toEqual(['web.md', 'web.yaml']);
  });

  test('fails when the drawing\'s file is a symbolic link, and writes neither it nor what it points to', () => {
    const { dir, input, drawing } = webDir();
    const target = join(dir, 'notes.txt');
    writeFileSync(target, 'my notes');
    symlinkSync(target, drawing);
    expect(run('diagram', input)).toEqual({
      code: 2, stdout: '', stderr: `error: ${drawing}: a symbolic link, which diagram does not write through; remove it, or use --print\n`,
    });
    expect(readFileSync(target, 'utf8')).toBe('my notes');
  });

  test('fails when the drawing\'s file is a link to nothing, and creates nothing where it points', () => {
    const { dir, input, drawing } = webDir();
    symlinkSync(join(dir, 'elsewhere.md'), drawing);
    expect(run('diagram', input).stderr).toBe(`error: ${drawing}: a symbolic link, which diagram does not write through; remove it, or use --print\n`);
    expect(readdirSync(dir).sort()).toEqual(['web.md', 'web.yaml']);
  });

  test('fails when a drawing would replace an input, and writes no drawing at all', () => {
    const { dir, input, drawing } = webDir();
    writeFileSync(drawing, Yaml.stringify(...WEB));
    const api = join(dir, 'api.yaml');
    writeFileSync(api, Yaml.stringify(service('api', { app: 'api' })));
    expect(run('diagram', api, input, drawing)).toEqual({
      code: 2, stdout: '',
      stderr: `error: ${drawing}: the drawing of ${input} would replace ${drawing}, which is an input; rename one of them, or use --print\n`,
    });
    expect(existsSync(join(dir, 'api.md'))).toBe(false);
  });

  test('fails when a drawing would replace an input under another name (a hard link)', () => {
    const { dir, input, drawing } = webDir();
    const other = join(dir, 'other.yaml');
    writeFileSync(other, Yaml.stringify(service('api', { app: 'api' })));
    linkSync(other, drawing);
    expect(run('diagram', input, other).stderr).toBe(
      `error: ${drawing}: the drawing of ${input} would replace ${other}, which is an input; rename one of them, or use --print\n`);
  });

  test('fails when two inputs would be drawn into one file (web.yaml and web.yml), and writes none', () => {
    const { dir, input, drawing } = webDir();
    const yml = join(dir, 'web.yml');
    writeFileSync(yml, Yaml.stringify(service('api', { app: 'api' })));
    expect(run('diagram', dir)).toEqual({
      code: 2, stdout: '',
      stderr: `error: ${drawing}: the drawings of ${input} and ${yml} would both be written here; rename one of them, or use --print\n`,
    });
    expect(readdirSync(dir).sort()).toEqual(['web.yaml', 'web.yml']);
    expect(run('diagram', '--format', 'table', input, yml).code).toBe(2);
  });

  test('reports every output it refuses, each once', () => {
    const { dir, input, drawing } = webDir();
    symlinkSync(join(dir, 'nowhere'), drawing);
    const yml = join(dir, 'web.yml');
    writeFileSync(yml, Yaml.stringify(...WEB));
    const api = join(dir, 'api.yaml');
    writeFileSync(api, Yaml.stringify(...WEB));
    writeFileSync(join(dir, 'api.md'), 'drawn before');
    expect(run('diagram', api, input, yml, join(dir, 'api.md')).stderr).toBe([
      `error: ${join(dir, 'api.md')}: the drawing of ${api} would replace ${join(dir, 'api.md')}, which is an input; rename one of them, or use --print`,
      `error: ${drawing}: a symbolic link, which diagram does not write through; remove it, or use --print`,
      `error: ${drawing}: the drawings of ${input} and ${yml} would both be written here; rename one of them, or use --print`,
      '',
    ].join('\n'));
  });

  test('writes the drawing of a file whose name is as long as the system allows', () => {
    const dir = tempDir();
    const input = join(dir, `${'w'.repeat(248)}.yaml`);
    writeFileSync(input, Yaml.stringify(...WEB));
    expect(run('diagram', input)).toEqual({ code: 0, stdout: `wrote ${join(dir, `${'w'.repeat(248)}.md`)}\n`, stderr: '' });
  });

  // sysfs takes no new files, not even from root, which no other folder refuses here.
  (existsSync('/sys/kernel/profiling') ? test : test.skip)('fails when the folder takes no new file, with the reason of that failure', () => {
    const { code, stdout, stderr } = run('diagram', '/sys/kernel/profiling');
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^error: \/sys\/kernel\/profiling\.md: cannot write: (permission denied|read-only file system)\n$/);
  });

  test('--print writes nothing, so it draws where files could not be written', () => {
    const { dir, input, drawing } = webDir();
    symlinkSync(join(dir, 'nowhere'), drawing);
    expect(run('diagram', '--print', input)).toEqual({ code: 0, stdout: diagramMarkdown(WEB, 'web.yaml'), stderr: '' });
  });

  test('shows line breaks in file names as \\n, in what it wrote and in its headers', () => {
    const dir = tempDir();
    const input = join(dir, 'web\nerror: x.yaml');
    writeFileSync(input, Yaml.stringify(...WEB));
    expect(run('diagram', input)).toEqual({ code: 0, stdout: `wrote ${dir}/web\\nerror: x.md\n`, stderr: '' });
    expect(readFileSync(join(dir, 'web\nerror: x.md'), 'utf8').split('\n')[0]).toBe('# web\\\\nerror: x.yaml');
    const other = join(dir, 'other.yaml');
    writeFileSync(other, Yaml.stringify(service('api', { app: 'api' })));
    expect(run('diagram', '--print', '--format', 'table', input, other).stdout).toMatch(new RegExp(`^==> ${dir}/web\\\\nerror: x\\.yaml <==\n`));
    expect(run('diagram', '--print', '--format', 'mermaid', input, other).stdout).toMatch(new RegExp(`^%% ${dir}/web\\\\nerror: x\\.yaml\nflowchart LR\n`));
  });

  test('fails when a file is no regular file, or the files are too many bytes', () => {
    expect(run('diagram', '/dev/zero').stderr).toBe('error: /dev/zero: not a regular file (a pipe, a device or a socket), which is never read\n');
    const { input } = webDir();
    expect(run('diagram', '--max-bytes', '100', input).stderr).toBe(
      `error: ${input}: reading it would go past --max-bytes 100, the most read from all files together; give a larger --max-bytes, e.g. 200\n`);
  });

  test('fails when the default namespace is no namespace name', () => {
    const { code, stderr } = run('diagram', '--default-namespace', 'my_ns', 'web.yaml');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: --default-namespace takes a namespace \(lower-case letters, digits and "-", at most 63\), not my_ns\n\nusage: cdk8s-istio-release diagram /);
  });
});

describe('diagram text from the manifests', () => {
  const HOSTILE = [
    service('<img src=x onerror=alert(1)>', { app: 'web' }),
    deployment('web\n| forged | row', { app: 'web' }, { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'img\u001b[31m:1' }] } } }),
  ];

  test('escapes HTML and Markdown in the headings, so that they show the names as written', () => {
    const markdown = diagramMarkdown(HOSTILE, '*app*_[x](y)`z`~#$&.yaml');
    expect(markdown.split('\n')[0]).toBe('# \\*app\\*\\_\\[x\\](y)\\`z\\`\\~\\#\\$\\&.yaml');
    expect(markdown).toContain('\n## Service shop/\\<img src=x onerror=alert(1)\\>\n');
    // Only the Mermaid comment, inside its code block, shows the name as written: no renderer reads it as HTML.
    expect(markdown.split('\n').filter(line => /(^|[^\\])<img/.test(line))).toEqual(['  %% Service shop/<img src=x onerror=alert(1)>']);
    expect(diagramMarkdown([], 'a\\b\nc\u2028d').split('\n')[0]).toBe('# a\\\\b\\\\nc\\\\u2028d');
  });

  test('shows line breaks and terminal escapes in table cells and titles as escapes, one row each', () => {
    const table = diagramTable([service('web\nerror', { app: 'web' }), ...HOSTILE.slice(1)]);
    expect(table.split('\n').slice(0, 3)).toEqual([
      'Service shop/web\\nerror',
      'ROUTE  MATCH  GATEWAY  PORT  VERSION  WEIGHT  WORKLOAD             REPLICAS  IMAGE',
      '-      -      mesh     -     -        100%    web\\n| forged | row  auto      img\\u001b[31m:1',
    ]);
  });

  test('fences the Mermaid code and the table with more backticks than any run inside them', () => {
    const markdown = diagramMarkdown([service('web', { app: 'web' }), deployment('web', { app: 'web' }, {
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'img:````1' }] } },
    })], 'web.yaml');
    expect(markdown.split('\n').filter(line => line.startsWith('```'))).toEqual(['```mermaid', '```', '`````text', '`````']);
  });

  test('writes hyphens in labels as non-breaking ones, so that no name breaks at them, and leaves ids and arrows alone', () => {
    const mermaid = diagramMermaid(example('podinfo-autoscaled-canary').objects);
    expect(mermaid).toContain('gw_istio_system_public_gateway(["Gateway istio#8209;system/public#8209;gateway<br/>not in these manifests"])');
    expect(mermaid).toContain('  route_http_0 -->|"90%"| subset_podinfo_6_0_0\n');
    expect(mermaid.replace(/"[^"]*"/g, '""').replace(/-->|-\.->|stroke-dasharray/g, '')).not.toContain('-');
  });

  test('shows control characters in Mermaid comments and labels as escapes', () => {
    const mermaid = diagramMermaid([service('web\r\nx', { app: 'web' }), ...HOSTILE.slice(1)]);
    const [chart] = parseFlowcharts(mermaid);
    expect(chart.comments).toEqual(['Service shop/web\\r\\nx']);
    // A line break in a name is a space in a box, which holds the Service's one workload.
    expect(nodeWithFirstLine(chart, 'Service web x')[1].lines.map(unescape))
      .toEqual(['Service web x', 'selector app=web', 'Deployment web | forged | row', 'img\\u001b[31m:1', 'replicas: auto']);
  });
});
