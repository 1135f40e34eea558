import { Graph, ManifestObject, hasWorkloadSelector, ruleHost } from './graph';
import { serviceFqdn } from './hosts';
import { Json, list, own, record, show, text } from './json';
import { Code, Finding, finding } from './types';

/** The modes in which a proxy originates TLS with certificates of the user's, not Istio's own. */
const USER_TLS_MODES: ReadonlySet<unknown> = new Set(['SIMPLE', 'MUTUAL']);

/** `.svc.cluster.local`, which ends every Service FQDN. */
const SERVICE_SUFFIX = serviceFqdn('', '').slice(1);

/** Where a DestinationRule originates TLS: the rule's traffic policy or one of its ports. */
interface TlsSite {
  readonly code: Code;
  readonly path: string;
  /** How messages name it: `tls`, or `tls on port 443`. */
  readonly what: string;
}

/**
 * Istio's CaCertificateAnalyzer (IST0128, IST0129): a DestinationRule whose `trafficPolicy.tls` or
 * `portLevelSettings[].tls` originates TLS with mode SIMPLE or MUTUAL, but names no CA to verify the
 * server with. Istio exempts only a `credentialName` in a rule with a `workloadSelector`; so does this,
 * and it reads subsets' policies no more than Istio does. Two departures keep correct rules clean:
 * - Since Istio 1.20 a proxy without `caCertificates` verifies against its OS CA bundle, which is
 *   right for a public host (Bookinfo's `www.googleapis.com`). Only a Service host (`.svc.cluster.local`),
 *   whose certificate no public CA signs, still fails there; other hosts are left alone.
 * - `insecureSkipVerify: true` asks for no verification in so many words; a warning would repeat it.
 */
export function checkDestinationRuleTls(graph: Graph): Finding[] {
  return graph.destinationRules.flatMap(rule => {
    // A rule without host is rejected by Istio's validation, which is no business of this check.
    const host = ruleHost(rule);
    if (!host) return [];
    const policy = record(rule.spec, 'trafficPolicy');
    return [
      ...checkTls(rule, host, record(policy, 'tls'), { code: 'destination-rule-tls-unverified', path: 'spec.trafficPolicy.tls', what: 'tls' }),
      ...list(policy, 'portLevelSettings').flatMap((setting, i) => checkTls(rule, host, record(setting, 'tls'), {
        code: 'destination-rule-port-tls-unverified',
        path: `spec.trafficPolicy.portLevelSettings[${i}].tls`,
        what: `tls on port ${show(own(record(setting, 'port'), 'number'))}`,
      })),
    ];
  });
}

function checkTls(rule: ManifestObject, host: string, tls: Json, site: TlsSite): Finding[] {
  const mode = own(tls, 'mode');
  if (!USER_TLS_MODES.has(mode) || text(tls, 'caCertificates') || own(tls, 'insecureSkipVerify') === true) return [];
  const credential = text(tls, 'credentialName');
  if (credential) {
    if (hasWorkloadSelector(rule)) return [];
    return [finding(site.code, rule.id, site.path,
      `${site.what} in mode ${mode} takes its certificates from credentialName ${credential}, which sidecars ignore in a DestinationRule `
      + `without workloadSelector: they originate no TLS to ${host} at all, only gateways do; add a workloadSelector for the pods `
      + `that should originate it, such as an egress gateway's`)];
  }
  if (!host.endsWith(SERVICE_SUFFIX)) return [];
  return [finding(site.code, rule.id, site.path,
    `${site.what} in mode ${mode} names no caCertificates, so proxies verify the certificate of ${host} against their OS CA bundle alone, `
    + `and no public CA certifies a cluster-local name: the handshake fails (Istio before 1.20 verifies nothing instead); set caCertificates `
    + `to the file of the CA that signed the server's certificate, or credentialName with a workloadSelector`)];
}
