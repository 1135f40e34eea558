import { createHash } from 'crypto';
import { isAbsolute, relative, resolve, sep } from 'path';
import { pathToFileURL } from 'url';
import { Code, CODE_SUMMARIES, CODES, ISTIO_CODES } from '../verify/types';
import { Location } from './origins';
import { LocatedFinding, Report } from './report';
import { packageVersion } from './version';

/**
 * `--format sarif`: SARIF 2.1.0, which GitHub code scanning reads (`github/codeql-action/upload-sarif`)
 * to annotate the YAML lines of a pull request. One run; a rule for every finding code, whether
 * found or not, so that an alert keeps its rule from one run to the next.
 */

const REPOSITORY = 'https://github.com/cdk8s-istio-release/cdk8s-istio-release';
const FINDINGS_DOC = `${REPOSITORY}/blob/main/docs/findings.md`;
/** GitHub tells alerts apart by these, so that a finding that moves to another line stays the same alert. */
const FINGERPRINT = 'cdk8sIstioRelease/v1';

export function renderSarif(report: Report): string {
  const codes = Object.keys(CODES) as Code[];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-istio-release',
          version: packageVersion(),
          informationUri: REPOSITORY,
          rules: codes.map(code => ({
            id: code,
            shortDescription: { text: CODE_SUMMARIES[code] },
            helpUri: `${FINDINGS_DOC}#${code}`,
            defaultConfiguration: { level: CODES[code] },
            ...(ISTIO_CODES[code] ? { properties: { istioCode: ISTIO_CODES[code] } } : {}),
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(process.cwd()).href.replace(/\/?$/, '/')}` } },
      // Columns count UTF-16 code units, as JavaScript strings do.
      columnKind: 'utf16CodeUnits',
      results: report.findings.map(finding => result(finding, codes.indexOf(finding.code as Code))),
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function result(finding: LocatedFinding, ruleIndex: number) {
  const logicalLocations = [
    { name: finding.object, fullyQualifiedName: finding.object, kind: 'resource' },
    ...(finding.path ? [{ name: finding.path, fullyQualifiedName: `${finding.object}:${finding.path}`, kind: 'property' }] : []),
  ];
  return {
    ruleId: finding.code,
    ruleIndex,
    level: finding.severity,
    message: { text: finding.message },
    locations: (finding.locations ?? []).map(place => ({ physicalLocation: physicalLocation(place), logicalLocations })),
    partialFingerprints: { [FINGERPRINT]: createHash('sha256').update(JSON.stringify([finding.code, finding.object, finding.path])).digest('hex') },
  };
}

/**
 * A file under the current directory, where the repository is checked out in CI, by its path from
 * there, which GitHub matches to the repository's files; any other by its absolute file URI.
 */
function physicalLocation({ file, line, column }: Location) {
  const path = relative(process.cwd(), resolve(file));
  const outside = path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path);
  const artifactLocation = outside
    ? { uri: pathToFileURL(resolve(file)).href }
    : { uri: path.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  return { artifactLocation, region: { startLine: line, startColumn: column } };
}
