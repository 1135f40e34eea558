import { printable } from '../diagram/text';
import { Finding, Severity } from '../verify';
import { Location } from './origins';

/** A finding with the files its object came from. */
export interface LocatedFinding extends Finding {
  readonly files: readonly string[];
  /** Where the finding's field is, in each of its files; given for the formats that show it. */
  readonly locations?: readonly Location[];
}

export interface Summary {
  readonly errors: number;
  readonly warnings: number;
  readonly objects: number;
  readonly files: number;
}

export interface Report {
  readonly findings: readonly LocatedFinding[];
  readonly summary: Summary;
}

export function summarize(findings: readonly Finding[], objects: number, files: number): Summary {
  const count = (severity: Severity) => findings.filter(f => f.severity === severity).length;
  return { errors: count(Severity.ERROR), warnings: count(Severity.WARNING), objects, files };
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** One block per object, headed by the object and its files, then the summary line. */
export function renderText(report: Report): string {
  const blocks = [...groupByObject(report.findings)].map(([object, findings]) =>
    [objectLine(object, findings[0].files), ...findings.map(findingLine)].join('\n'));
  return [...blocks, summaryLine(report.summary)].join('\n\n') + '\n';
}

function groupByObject(findings: readonly LocatedFinding[]): Map<string, LocatedFinding[]> {
  const groups = new Map<string, LocatedFinding[]>();
  for (const finding of findings) groups.set(finding.object, [...groups.get(finding.object) ?? [], finding]);
  return groups;
}

/** Names and messages quote the manifests and file names, which may hold line breaks and escapes. */
function objectLine(object: string, files: readonly string[]): string {
  return printable(files.length > 0 ? `${object} (${files.join(', ')})` : object);
}

/** Severity is padded so codes line up; Istio's code follows ours, as `istioctl analyze` users look for it; a finding about a whole entry has no path. */
function findingLine(finding: LocatedFinding): string {
  const where = finding.path ? `${finding.path}: ` : '';
  const istio = finding.istioCode ? ` [${finding.istioCode}]` : '';
  return printable(`  ${finding.severity.padEnd(Severity.WARNING.length)}  ${finding.code}${istio}  ${where}${finding.message}`);
}

function summaryLine({ errors, warnings, objects, files }: Summary): string {
  const found = errors + warnings === 0 ? 'no findings' : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return `${found} in ${plural(objects, 'object')} from ${plural(files, 'file')}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
