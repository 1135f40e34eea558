import { hostCovers } from '../names';
import { Graph, ManifestObject, hasWorkloadSelector } from './graph';
import { list, record, show, text } from './json';
import { Settings } from './settings';

/**
 * Which namespaces see an object, as its `exportTo` says (Istio's analyzers/util/exportto.go and
 * service_lookup.go): every namespace (`*`), or a set of them.
 */
export type Visibility = '*' | ReadonlySet<string>;

/** Where a Kubernetes Service, which has no spec field for it, says which namespaces see it. */
export const EXPORT_TO_ANNOTATION = 'networking.istio.io/exportTo';

/**
 * The namespaces an `exportTo` list names: `.` is the object's own, `*` all, and `~` none, so an
 * object exported to `~` alone is seen nowhere. An object that writes none has the mesh's default
 * instead, which is never empty (see settingsFrom).
 */
function visibility(values: readonly string[], namespace: string): Visibility {
  if (values.includes('*')) return '*';
  return new Set(values.filter(value => value !== NO_NAMESPACE).map(value => (value === '.' ? namespace : value)));
}

/** What `exportTo: ["~"]` says: no namespace. */
const NO_NAMESPACE = '~';

/**
 * Who sees a VirtualService, DestinationRule, ServiceEntry or Service (by its comma-separated
 * annotation); one that writes no exportTo gets the mesh's default for its kind.
 */
export function exportedTo(object: ManifestObject, settings: Settings): Visibility {
  // The checks of hosts and conflicts ask for every VirtualService, for each host it claims or routes to.
  return object.facts.exportedTo ??= visibility(exportValues(object, settings), object.namespace);
}

function exportValues(object: ManifestObject, settings: Settings): readonly string[] {
  // istiod exports no DestinationRule with a workloadSelector (push_context.go setDestinationRules).
  if (hasWorkloadSelector(object)) return PRIVATE;
  const written = writtenExportTo(object);
  if (written.length > 0) return written;
  const { values } = meshDefault(object, settings);
  // istiod honours only "." in defaultDestinationRuleExportTo: with it a rule is private, else public (push_context.go SetDestinationRules).
  if (object.kind === 'DestinationRule') return values.includes('.') ? PRIVATE : PUBLIC;
  return values;
}

const PRIVATE: readonly string[] = ['.'];
const PUBLIC: readonly string[] = ['*'];

/** The object's own exportTo; empty when it writes none. */
export function writtenExportTo(object: ManifestObject): readonly string[] {
  if (object.kind === 'Service') return text(record(object.metadata, 'annotations'), EXPORT_TO_ANNOTATION)?.split(',').map(ns => ns.trim()) ?? [];
  return list(object.spec, 'exportTo').filter((value): value is string => typeof value === 'string');
}

/** The MeshConfig field that gives an object of this kind its exportTo when it writes none, and its value. */
function meshDefault(object: ManifestObject, settings: Settings): { readonly field: string; readonly values: readonly string[] } {
  if (object.kind === 'VirtualService') return { field: 'defaultVirtualServiceExportTo', values: settings.defaultVirtualServiceExportTo };
  if (object.kind === 'DestinationRule') return { field: 'defaultDestinationRuleExportTo', values: settings.defaultDestinationRuleExportTo };
  return { field: 'defaultServiceExportTo', values: settings.defaultServiceExportTo };
}

export function isVisibleIn(seen: Visibility, namespace: string): boolean {
  return seen === '*' || seen.has(namespace);
}

/** Whether `namespace` sees one of `objects` at least. */
export function seesAny(settings: Settings, objects: readonly ManifestObject[], namespace: string): boolean {
  return objects.some(object => isVisibleIn(exportedTo(object, settings), namespace));
}

/** The namespaces that see both. */
export function sharedBy(a: Visibility, b: Visibility): Visibility {
  if (a === '*') return b;
  if (b === '*') return a;
  return new Set([...a].filter(namespace => b.has(namespace)));
}

/** The namespaces that see one of them at least. */
export function seenByAny(seen: readonly Visibility[]): Visibility {
  const named = seen.filter((s): s is ReadonlySet<string> => s !== '*');
  return named.length < seen.length ? '*' : new Set(named.flatMap(s => [...s]));
}

export function isNowhere(seen: Visibility): boolean {
  return seen !== '*' && seen.size === 0;
}

/**
 * The namespaces whose sidecars take a VirtualService's routes, each of which must see its
 * destinations. Istio's analyzer is content with one of them; each one that cannot see the host
 * fails, so each is checked. A VirtualService exported everywhere is checked from its own namespace,
 * as Istio's analyzer does: a host private to that namespace serves the clients it is meant for.
 * A VirtualService exported to `~` alone applies nowhere.
 */
export function routingNamespaces(vs: ManifestObject, settings: Settings): readonly string[] {
  const seen = exportedTo(vs, settings);
  return vs.facts.routingNamespaces ??= seen === '*' ? [vs.namespace] : [...seen].sort();
}

/**
 * The Service and ServiceEntries that declare `host` to a VirtualService applying in `routedFrom`:
 * those naming it, and the wildcard ServiceEntries covering it that one of those namespaces sees. A
 * wildcard that none of them sees declares nothing there, so a host it covers is as unknown as any
 * other (most are typing mistakes), and not merely hidden.
 */
export function declarationsFor(graph: Graph, settings: Settings, host: string, routedFrom: readonly RoutedFrom[]): readonly ManifestObject[] {
  const service = graph.serviceByHost.get(host);
  const found: ManifestObject[] = service ? [service] : [];
  for (const e of graph.serviceEntryHosts) {
    const declares = e.host === host
      || (hostCovers(e.host, host) && routedFrom.some(r => r.namespaces.some(namespace => isVisibleIn(exportedTo(e.entry, settings), namespace))));
    if (declares && !found.includes(e.entry)) found.push(e.entry);
  }
  return found;
}

/** Proxies that take routes, in these namespaces. */
export interface RoutedFrom {
  readonly namespaces: readonly string[];
}

/** An object's exportTo as written, or the mesh default it gets, so that a message shows the value to change. */
export function exportField(object: ManifestObject, settings: Settings): string {
  if (hasWorkloadSelector(object)) return `${object.id} has a workloadSelector, which keeps it to its own namespace whatever its exportTo`;
  if (writtenExportTo(object).length === 0) {
    const { field, values } = meshDefault(object, settings);
    return `${object.id} has ${object.kind === 'Service' ? `no annotation ${EXPORT_TO_ANNOTATION}` : 'no exportTo'}, so the mesh's ${field} applies: ${show(values)}`;
  }
  return object.kind === 'Service'
    ? `${object.id} has annotation ${EXPORT_TO_ANNOTATION}: ${show(text(record(object.metadata, 'annotations'), EXPORT_TO_ANNOTATION))}`
    : `${object.id} has exportTo: ${show(list(object.spec, 'exportTo'))}`;
}

/**
 * How to make `what` visible in `hidden`: the objects' own exportTo, never a wider mesh default,
 * which would export every object that relies on it.
 */
export function exportFix(objects: readonly ManifestObject[], what: string, hidden: readonly string[]): string {
  if (objects.every(hasWorkloadSelector)) {
    return `define it in a DestinationRule without workloadSelector in ${namespaces([...new Set(objects.map(o => o.namespace))])}, exported to ${hidden.join(', ')}`;
  }
  return objects.every(object => writtenExportTo(object).length > 0) ? `add ${hidden.join(', ')} to that exportTo`
    : `export ${what} to ${hidden.join(', ')} with an exportTo of its own (on a Service, the annotation ${EXPORT_TO_ANNOTATION}), `
      + 'listing "." too where its own namespace uses it; widening the mesh default would export every object without one';
}

export function namespaces(names: readonly string[]): string {
  return `${names.length === 1 ? 'namespace' : 'namespaces'} ${names.join(', ')}`;
}
