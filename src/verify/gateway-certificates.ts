import { X509Certificate } from 'crypto';
import { entryField } from '../show';
import { GatewayPodIndex, gatewaySelector, selectedPodNamespaces } from './gateway-workloads';
import { Graph, ManifestObject, groupBy, objectsOfKind, spreadLists } from './graph';
import { list, own, record, text } from './json';
import { selects } from './selectors';
import { Finding, finding } from './types';

/** Checks the certificates Istio Gateways serve: that their Secrets exist beside the gateway pods, hold a valid certificate, and serve one Gateway each. */
export function checkGatewayCertificates(graph: Graph, index: GatewayPodIndex, input: readonly unknown[]): Finding[] {
  const gateways = [...graph.gateways.values()];
  return [...checkSharedCertificates(gateways), ...checkSecrets(graph, index, gateways, input)];
}

interface ServedCertificate {
  readonly gateway: ManifestObject;
  readonly selector: ReadonlyMap<string, string>;
  readonly path: string;
  /** How the message names the certificate. */
  readonly name: string;
  readonly key: string;
}

/**
 * Istio's `CertificateAnalyzer`: a server of this Gateway and one of another Gateway whose pods it
 * selects too (its selector is a subset of the other's, an empty one of any) serve the same
 * certificate, named alike by `credentialName`, or by both `serverCertificate` and `privateKey`.
 * HTTP/2 clients reuse a connection for every host the certificate covers, and each server
 * routes only its own hosts (envoyproxy/envoy#6767). As Istio has it, only the Gateway whose
 * selector is the subset, and so takes the other's pods too, is reported.
 */
function checkSharedCertificates(gateways: readonly ManifestObject[]): Finding[] {
  const served = gateways.flatMap(gateway => list(gateway.spec, 'servers').flatMap((server, i) => servedCertificate(gateway, server, i)));
  return [...groupBy(served, s => s.key).values()].flatMap(sharing => sharing.flatMap(mine => {
    const others = sharing.filter(other => other.gateway !== mine.gateway && selects(mine.selector, other.selector));
    if (others.length === 0) return [];
    const names = [...new Set(others.map(o => o.gateway.id))].sort().join(', ');
    return [finding('gateway-certificate-shared', mine.gateway.id, mine.path,
      `${mine.name} is served by ${names} too, on gateway pods this Gateway selects as well; an HTTP/2 client reuses one connection `
      + 'for every host the certificate covers, and gets 404 for the hosts of the other server, which routes only its own; '
      + 'serve these hosts from one Gateway, or give each Gateway a certificate of its own')];
  }));
}

function servedCertificate(gateway: ManifestObject, server: unknown, i: number): ServedCertificate[] {
  const tls = own(server, 'tls');
  const served = { gateway, selector: gatewaySelector(gateway) };
  const path = `spec.servers[${i}].tls`;
  const credentials = credentialNamesOf(tls);
  if (credentials.length > 0) {
    return credentials.map(c => ({ ...served, path: `${path}.${c.field}`, name: `certificate ${c.written}`, key: JSON.stringify([c.written]) }));
  }
  const file = text(tls, 'serverCertificate');
  const privateKey = text(tls, 'privateKey');
  if (!file || !privateKey) return [];
  return [{ ...served, path: `${path}.serverCertificate`, name: `certificate file ${file}`, key: JSON.stringify([file, privateKey]) }];
}

/** A credential a server's TLS names. */
interface NamedCredential {
  /** As written, e.g. `kubernetes://shop-tls`. */
  readonly written: string;
  /** The field under `tls` that names it, e.g. `credentialNames[0]`. */
  readonly field: string;
}

/**
 * `credentialName`, and each of `credentialNames` (an RSA and an ECDSA certificate, say):
 * the gateway needs every one of them. The schema allows only one of the two fields; both are read.
 */
function credentialNamesOf(tls: unknown): NamedCredential[] {
  const single = text(tls, 'credentialName');
  const named: NamedCredential[] = single === undefined ? [] : [{ written: single, field: 'credentialName' }];
  list(tls, 'credentialNames').forEach((written, j) => {
    if (typeof written === 'string' && written !== '') named.push({ written, field: `credentialNames[${j}]` });
  });
  return named;
}

/** `credentialName` prefixes of credentials that are no Secret: the proxy's own mesh certificate, a CA ConfigMap, a placeholder. */
const NOT_A_SECRET = ['builtin://', 'configmap://', 'invalid://'];

/** The prefixes that name a Secret explicitly; a bare name means `kubernetes://`. */
const SECRET_PREFIXES = ['kubernetes://', 'kubernetes-gateway://'];

/** One credential of a server, and the namespaces whose gateway pods read it. */
interface Credential extends NamedCredential {
  readonly gateway: ManifestObject;
  readonly server: number;
  /** The Secret's name. */
  readonly name: string;
  /** Whether the credential names its namespace, rather than taking the gateway pods'. */
  readonly named: boolean;
  /** Where the Secret must be: beside pods of the set. */
  readonly namespaces: readonly string[];
  /** Where a Secret of the set is read: beside pods of the set, and beside pods declared outside it with their namespace. */
  readonly readIn: readonly string[];
}

/**
 * Istio's `SecretAnalyzer`: a gateway pod reads its `credentialName` Secret in its own namespace,
 * unless the name says `namespace/name`. Only pods of the set have a namespace we know (a
 * workload, or Istio's deployment for a Gateway API Gateway), and pods in several namespaces each
 * need the Secret. Pods declared outside the set may have their Secrets made outside it too, so
 * none is required beside them, but one the set holds there is what they serve, and is checked. A cert-manager Certificate, an ExternalSecret or a SealedSecret makes the
 * Secret at apply time, so it counts as one, without a certificate to check.
 */
function checkSecrets(graph: Graph, index: GatewayPodIndex, gateways: readonly ManifestObject[], input: readonly unknown[]): Finding[] {
  const credentials = gateways.flatMap(gateway => credentialsOf(index, gateway));
  const secrets = new Map(objectsOfKind(graph, '', 'Secret').map(s => [`${s.namespace}/${s.name}`, s]));
  const made = new Set(graph.objects.map(madeSecret));
  const missing = credentials.flatMap(c => {
    const lacking = c.namespaces.filter(namespace => !secrets.has(`${namespace}/${c.name}`) && !made.has(`${namespace}/${c.name}`));
    return lacking.length === 0 ? [] : [secretNotFound(c, lacking)];
  });
  const uses = credentials.flatMap(c => c.readIn.flatMap(namespace => secrets.get(`${namespace}/${c.name}`) ?? [])
    .map(secret => ({ secret, gateway: c.gateway.id })));
  // The graph keeps no Secret's data, so the entries are read again.
  const entries = spreadLists(input);
  const certificates = [...groupBy(uses, use => use.secret.id).values()].flatMap(sameSecret => {
    const { secret } = sameSecret[0];
    const gateways = [...new Set(sameSecret.map(use => use.gateway))].sort().join(', ');
    return checkCertificate(secret, entries[secret.entry], gateways);
  });
  return [...missing, ...certificates];
}

function credentialsOf(index: GatewayPodIndex, gateway: ManifestObject): Credential[] {
  const namespaces = selectedPodNamespaces(index, gateway, pods => !pods.outside);
  // Beside pods declared outside the set too, where their namespace is declared.
  const everywhere = selectedPodNamespaces(index, gateway, () => true);
  // Stryker disable next-line ConditionalExpression: a shortcut; with no namespace known, no credential has a Secret to need or read
  if (everywhere.length === 0) return [];
  return list(gateway.spec, 'servers').flatMap((server, i) => credentialNamesOf(own(server, 'tls')).flatMap(({ written, field }) => {
    const reference = secretReference(written);
    if (!reference) return [];
    const { name, namespace } = reference;
    const named = namespace === undefined ? undefined : [namespace];
    return [{
      gateway, server: i, field, written, name, named: named !== undefined,
      namespaces: namespaces.length === 0 ? [] : named ?? namespaces,
      readIn: named ?? everywhere,
    }];
  }));
}

function secretNotFound(credential: Credential, namespaces: readonly string[]): Finding {
  return finding('gateway-secret-not-found', credential.gateway.id, `spec.servers[${credential.server}].tls.${credential.field}`,
    `${credential.field} ${credential.written} names no Secret in namespace ${namespaces.join(', ')}${credential.named ? '' : ', where the gateway pods run'}, `
    + 'so the gateway has no certificate for this server and TLS handshakes fail; create the Secret there (type kubernetes.io/tls, with tls.crt and tls.key), '
    + 'or a cert-manager Certificate or an ExternalSecret that makes it, or name the Secret that holds the certificate');
}

/** The Secret a `credentialName` names: `name`, `namespace/name`, either after `kubernetes://` or `kubernetes-gateway://`. */
function secretReference(credentialName: string): { name: string; namespace?: string } | undefined {
  if (NOT_A_SECRET.some(prefix => credentialName.startsWith(prefix))) return undefined;
  const prefix = SECRET_PREFIXES.find(p => credentialName.startsWith(p)) ?? '';
  const [first, second] = credentialName.slice(prefix.length).split('/');
  return second === undefined ? { name: first } : { name: second, namespace: first };
}

/** `namespace/name` of the Secret an object makes when it is applied, if it makes one. */
function madeSecret(object: ManifestObject): string | undefined {
  const name = object.group === 'cert-manager.io' && object.kind === 'Certificate' ? text(object.spec, 'secretName')
    : object.group === 'external-secrets.io' && object.kind === 'ExternalSecret' ? text(record(object.spec, 'target'), 'name') ?? object.name
      : object.group === 'bitnami.com' && object.kind === 'SealedSecret' ? object.name
        : undefined;
  return name && `${object.namespace}/${name}`;
}

/** The keys Istio reads the certificate and key from, in its order (`ExtractCertInfo`). */
const CERTIFICATE_KEYS = [['cert', 'key'], ['tls.crt', 'tls.key']] as const;

/**
 * Istio's check of a gateway's Secret (`isValidSecret`): a certificate and a key under one of the
 * key pairs, and a first PEM certificate that parses and is valid now. The API server merges
 * `stringData` over `data`, so it is read too.
 */
function checkCertificate(secret: ManifestObject, entry: unknown, users: string): Finding[] {
  const entries = secretEntries(entry);
  const pair = CERTIFICATE_KEYS.find(keys => keys.every(key => (entries.get(key)?.value.length ?? 0) > 0));
  if (!pair) {
    return [finding('gateway-certificate-invalid', secret.id, 'data',
      `the Secret holds neither tls.crt and tls.key nor cert and key, so ${users} has no certificate to serve and TLS handshakes fail; `
      + 'put the PEM certificate chain and its key under tls.crt and tls.key')];
  }
  const certificate = entries.get(pair[0]) as SecretEntry;
  const fault = certificateFault(certificate.value, Date.now());
  return fault ? [finding('gateway-certificate-invalid', secret.id, certificate.path, `${pair[0]} ${fault.problem}, so ${users} ${fault.fix}`)] : [];
}

interface SecretEntry {
  readonly path: string;
  readonly value: Buffer;
}

function secretEntries(entry: unknown): ReadonlyMap<string, SecretEntry> {
  const entries = new Map<string, SecretEntry>();
  for (const [field, encoding] of [['data', 'base64'], ['stringData', 'utf8']] as const) {
    for (const [key, value] of Object.entries(record(entry, field))) {
      if (typeof value === 'string') entries.set(key, { path: entryField(field, key), value: Buffer.from(value, encoding) });
    }
  }
  return entries;
}

const UNPARSEABLE = {
  problem: 'holds no certificate that parses as PEM',
  fix: 'cannot serve TLS; put the PEM certificate chain there (base64-encoded once more under data)',
};

/**
 * What is wrong with the first certificate of a PEM chain, as istiod's `ValidateCertificate` sees
 * it, or undefined. Node would parse DER too, which Envoy does not take, so the PEM header is
 * required first.
 */
function certificateFault(pem: Buffer, now: number): { problem: string; fix: string } | undefined {
  const validity = pem.includes('-----BEGIN ') ? validityOf(pem) : undefined;
  if (!validity) return UNPARSEABLE;
  if (now > validity.notAfter) {
    return { problem: `holds a certificate that expired on ${dateOf(validity.notAfter)}`, fix: 'serves a certificate that clients refuse; renew it' };
  }
  if (now < validity.notBefore) {
    return { problem: `holds a certificate that is not valid before ${dateOf(validity.notBefore)}`, fix: 'serves a certificate that clients refuse until then; issue one that is valid now' };
  }
  return undefined;
}

/** When the first certificate is valid; undefined when it does not parse, whatever the parser throws. */
function validityOf(pem: Buffer): { notBefore: number; notAfter: number } | undefined {
  try {
    const certificate = new X509Certificate(pem);
    return { notBefore: Date.parse(certificate.validFrom), notAfter: Date.parse(certificate.validTo) };
  } catch {
    return undefined;
  }
}

function dateOf(time: number): string {
  return new Date(time).toISOString().replace('.000Z', 'Z');
}
