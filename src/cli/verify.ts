import { isGatewayRef, isHost, isVirtualServiceRef } from '../names';
import { VerifyOptions } from '../verify';
import { parseGatewayWorkload, settingsFrom } from '../verify/settings';
import { manifestFindings } from '../verify/verify-manifests';
import { defaultNamespaceOf, flag, lastValue, OptionSpec, ParsedArgs, parseInvocation, values } from './args';
import { Command, EXIT_CLEAN, EXIT_FINDINGS, Io, UsageError } from './command';
import { Source } from './files';
import { meshConfigOf } from './mesh-config';
import { originsOf } from './origins';
import { renderJson, renderText, Report, summarize } from './report';
import { renderSarif } from './sarif';

const USAGE = `usage: cdk8s-istio-release verify [options] <file or directory>...

checks that the traffic in a set of manifests arrives somewhere: routes reach services, subsets
reach pods, services reach workloads, gateways admit their hosts. all files are checked together,
as one set; directories are searched recursively for *.yaml and *.yml files. only regular files
are read (not pipes or devices).

options:
  --format text|json|sarif      output format (default: text); sarif is SARIF 2.1.0, for
                                GitHub code scanning
  --strict                      fail on warnings too
  --external-host <host>        a destination host outside the files, exact or *.wildcard;
                                repeatable
  --external-gateway <ns/name>  a gateway outside the files; repeatable
  --external-delegate <ns/name> a virtual service outside the files that rules delegate to;
                                repeatable
  --external-gateway-workload <key=value,...>
                                labels of gateway pods that run outside the files, which a
                                gateway's selector may pick, after <namespace>: where known;
                                repeatable. given, they replace the default:
                                app=istio-ingressgateway,istio=ingressgateway and
                                app=istio-egressgateway,istio=egressgateway
  --require-weight-sum-100      route weights must add up to 100, as before istio 1.15
  --default-namespace <ns>      namespace of objects without one (default: default)
  --mesh-config <file>          the mesh's MeshConfig (the mesh key of the istio configmap), for
                                the exportTo that services, virtual services and destination
                                rules without one get (default: every namespace)
  --max-bytes <size>            the most read from all files together, in bytes or with Ki, Mi
                                or Gi, e.g. 200Mi (default: 64Mi); more fails with status 2
  -h, --help                    show this help

exit status: 0 when nothing fails, 1 on errors (or warnings with --strict), 2 when the command
line is wrong or a file cannot be read or parsed. when the reader of the output stops early
(| head), the status is still 0 or 1.
`;

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'format': { type: 'string' },
  'strict': { type: 'boolean' },
  'external-host': { type: 'string' },
  'external-gateway': { type: 'string' },
  'external-delegate': { type: 'string' },
  'external-gateway-workload': { type: 'string' },
  'require-weight-sum-100': { type: 'boolean' },
  'default-namespace': { type: 'string' },
  'mesh-config': { type: 'string' },
  'max-bytes': { type: 'string' },
  'help': { type: 'boolean', short: 'h' },
};

const FORMATS = ['text', 'json', 'sarif'];

const RENDERERS: Readonly<Record<string, (report: Report) => string>> = { text: renderText, json: renderJson, sarif: renderSarif };

export const verifyCommand: Command = {
  summary: 'check that the traffic in a set of manifests arrives somewhere',
  usage: USAGE,
  run,
};

function run(args: readonly string[], io: Io): number {
  const invocation = parseInvocation(args, OPTIONS, USAGE, io, 'verify');
  if (!invocation) return EXIT_CLEAN;
  const { parsed, sources } = invocation;
  const format = formatOf(parsed);
  const options = verifyOptionsOf(parsed);
  // The text output names files alone: lines are looked for only where they are shown.
  const report = verifySources(sources(), options, format !== 'text');
  io.stdout(RENDERERS[format](report));
  const { errors, warnings } = report.summary;
  return errors > 0 || (flag(parsed, 'strict') && warnings > 0) ? EXIT_FINDINGS : EXIT_CLEAN;
}

function formatOf(parsed: ParsedArgs): string {
  const format = lastValue(parsed, 'format') ?? 'text';
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format ${format}; use text, json or sarif`);
  return format;
}

function verifyOptionsOf(parsed: ParsedArgs): VerifyOptions {
  const externalHosts = [...values(parsed, 'external-host')];
  const host = externalHosts.find(given => !isHost(given));
  if (host !== undefined) throw new UsageError(`--external-host takes a host in lower case, exact or *.domain, not ${host}`);
  const externalGateways = [...values(parsed, 'external-gateway')];
  // A bare name would match no gateway and silently change nothing.
  const bare = externalGateways.find(gateway => !isGatewayRef(gateway));
  if (bare !== undefined) throw new UsageError(`--external-gateway takes <namespace>/<name>, not ${bare}`);
  const externalDelegates = [...values(parsed, 'external-delegate')];
  const delegate = externalDelegates.find(given => !isVirtualServiceRef(given));
  if (delegate !== undefined) throw new UsageError(`--external-delegate takes <namespace>/<name>, not ${delegate}`);
  const externalGatewayWorkloads = [...values(parsed, 'external-gateway-workload')];
  const malformed = externalGatewayWorkloads.find(labels => parseGatewayWorkload(labels) === undefined);
  if (malformed !== undefined) {
    throw new UsageError(`--external-gateway-workload takes pod labels as [namespace:]key=value[,key=value], each key once, not ${malformed}`);
  }
  return {
    externalHosts,
    externalGateways,
    externalDelegates,
    // Left out unless given, so that Istio's default gateways count.
    ...(externalGatewayWorkloads.length > 0 ? { externalGatewayWorkloads } : {}),
    requireWeightSum100: flag(parsed, 'require-weight-sum-100'),
    defaultNamespace: defaultNamespaceOf(parsed),
    ...meshConfigOf(parsed),
  };
}

/**
 * Verifies the files as one set, so that a route may reach a Service defined in another file.
 * Parsed YAML is JSON data already, and the options are checked above, so the public function's
 * argument checks are skipped: they would walk every value of the set once more.
 */
function verifySources(sources: readonly Source[], options: VerifyOptions, located: boolean): Report {
  const findings = manifestFindings(sources.flatMap(source => source.documents), options);
  const origins = originsOf(sources, settingsFrom(options).defaultNamespace);
  return {
    findings: findings.map(finding => ({
      ...finding,
      files: origins.filesOf(finding.object),
      ...(located ? { locations: origins.locationsOf(finding.object, finding.path) } : {}),
    })),
    summary: summarize(findings, origins.objects, sources.length),
  };
}
