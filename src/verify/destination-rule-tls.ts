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

/**
 * What Istio's validation refuses in a DestinationRule's TLS settings (agent.ValidateTLS), at every
 * level it reads them: the rule's traffic policy, its subsets', and their ports'. MUTUAL needs a
 * client certificate and key, as files or through `credentialName`; `credentialName` excludes the
 * files. The webhook refuses the whole rule; the CRD's schema lets it through.
 */
export function checkDestinationRuleTlsSettings(graph: Graph): Finding[] {
  return graph.destinationRules.flatMap(rule => [
    ...policySettings(rule, record(rule.spec, 'trafficPolicy'), 'spec.trafficPolicy'),
    ...list(rule.spec, 'subsets').flatMap((subset, j) => policySettings(rule, record(subset, 'trafficPolicy'), `spec.subsets[${j}].trafficPolicy`)),
  ]);
}

function policySettings(rule: ManifestObject, policy: Json, path: string): Finding[] {
  return [
    ...tlsSettings(rule, record(policy, 'tls'), `${path}.tls`),
    ...list(policy, 'portLevelSettings').flatMap((setting, i) => tlsSettings(rule, record(setting, 'tls'), `${path}.portLevelSettings[${i}].tls`)),
  ];
}

const CREDENTIAL_FILES = ['clientCertificate', 'privateKey', 'caCertificates', 'caCrl'];

const REFUSED = 'which Istio refuses, so this DestinationRule takes no effect';

function tlsSettings(rule: ManifestObject, tls: Json, path: string): Finding[] {
  const mode = own(tls, 'mode');
  if (!USER_TLS_MODES.has(mode)) return [];
  return [...unverifiedSettings(rule, tls, path, mode), ...credentialSettings(rule, tls, path, mode)];
}

/** With insecureSkipVerify, what would verify the server has no place: in MUTUAL, the credentialName still holds the client certificate. */
function unverifiedSettings(rule: ManifestObject, tls: Json, path: string, mode: unknown): Finding[] {
  if (own(tls, 'insecureSkipVerify') !== true) return [];
  const verifying = (mode === 'SIMPLE' ? ['caCertificates', 'credentialName', 'subjectAltNames'] : ['caCertificates', 'subjectAltNames'])
    .filter(key => (key === 'subjectAltNames' ? list(tls, key).length > 0 : text(tls, key) !== undefined));
  return verifying.length === 0 ? [] : [finding('destination-rule-tls-invalid', rule.id, path,
    `tls in mode ${mode} skips verifying the server (insecureSkipVerify) and names ${verifying.join(', ')} to verify it by, ${REFUSED}; `
    + 'drop insecureSkipVerify to verify the server, or those fields')];
}

function credentialSettings(rule: ManifestObject, tls: Json, path: string, mode: unknown): Finding[] {
  const credential = text(tls, 'credentialName');
  if (credential) {
    const files = CREDENTIAL_FILES.filter(key => text(tls, key));
    return files.length === 0 ? [] : [finding('destination-rule-tls-invalid', rule.id, path,
      `tls in mode ${mode} takes its certificates from credentialName ${credential} and names ${files.join(', ')} too, ${REFUSED}; `
      + 'keep the credentialName, whose Secret holds them, or the files alone')];
  }
  const missing = mode === 'MUTUAL' ? ['clientCertificate', 'privateKey'].filter(key => !text(tls, key)) : [];
  return missing.length === 0 ? [] : [finding('destination-rule-tls-invalid', rule.id, path,
    `tls in mode MUTUAL names no ${missing.join(' nor ')}, and no credentialName, ${REFUSED}; mutual TLS presents a client certificate: `
    + 'give clientCertificate and privateKey (files in the proxy), or credentialName with a Secret holding them')];
}
