import { Flow, Picture, Rule, ruleLabel, Target } from './model';
import { printable } from './text';

/**
 * A picture as a plain text table, one row per destination and workload, in the manner of
 * `kubectl argo rollouts get`. Columns are aligned with two spaces and lines carry no trailing blanks.
 */

const HEADER = ['ROUTE', 'MATCH', 'GATEWAY', 'PORT', 'VERSION', 'WEIGHT', 'WORKLOAD', 'REPLICAS', 'IMAGE'];

export function renderTable(picture: Picture): string {
  const entrances = picture.entrances.map(e => (e.waypoint ? `waypoint ${e.waypoint}` : e.gateway)).join(', ') || '-';
  const rows = picture.direct
    ? flowRows(['-', '-', entrances], { mirror: false, share: '100%', target: picture.direct })
    : picture.rules.flatMap(rule => ruleRows(rule, entrances));
  return alignTable([HEADER, ...rows]);
}

/** The route, what it matches and where it applies lead its first row. */
function ruleRows(rule: Rule, entrances: string): string[][] {
  const route = [ruleLabel(rule), rule.conditions.join(' '), rule.gateways ? rule.gateways.join(', ') || 'none' : entrances];
  if (rule.flows.length === 0) return [[...route, '-', '-', '-', '-', '-', rule.action ?? '-']];
  return rule.flows.flatMap((flow, i) => flowRows(i === 0 ? route : [ruleLabel(rule), '', ''], flow));
}

/** One row per workload behind the destination; the route, port, version and weight are not repeated. */
function flowRows(route: readonly string[], flow: Flow): string[][] {
  const lead = [...route, flow.port === undefined ? '-' : String(flow.port), version(flow.target), flow.share];
  if (flow.target.workloads.length === 0) return [[...lead, '-', '-', '-']];
  return flow.target.workloads.map((workload, i) => [
    ...i === 0 ? lead : lead.map(() => ''),
    workload.name,
    workload.replicas,
    workload.images.join(', ') || '-',
  ]);
}

/** The subset; for a destination without one, the Service it names (when not the route's own) or the host. */
function version(target: Target): string {
  if (target.role !== undefined) return target.subset !== undefined && target.subset !== target.role ? `${target.subset} (${target.role})` : target.role;
  if (target.subset !== undefined) return target.ownHost ? target.subset : `${target.subset} of ${target.host}`;
  if (target.service) return target.ownHost ? '-' : `service ${target.service.name}`;
  return `host ${target.host}`;
}

/** Cells are made printable first: a line break in a name would start a row of its own. The first row is the header. */
export function alignTable(cells: readonly (readonly string[])[]): string {
  const rows = cells.map(row => row.map(printable));
  const widths = rows[0].map((_, column) => Math.max(...rows.map(row => row[column].length)));
  return rows.map(row => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n') + '\n';
}
