/**
 * Kubernetes and Istio naming rules, as plain predicates, so that the constructs and (later) the
 * manifest checks agree on what a valid name is.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Namespaces and Istio subset names: lower-case alphanumerics and '-', at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/**
 * Object names (Deployments, Secrets): dot-separated parts of lower-case alphanumerics and '-', at
 * most 253 characters in all. Kubernetes limits no part to 63, as a DNS label would be.
 */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** Service names must also start with a letter, because they become DNS labels. */
export function isDns1035Label(value: string): boolean {
  return value.length <= 63 && DNS1035_LABEL.test(value);
}

/** A Kubernetes label value: empty, or alphanumerics with '-', '_' and '.' inside, at most 63. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LABEL_VALUE.test(value);
}

/** A Kubernetes label key: an optional DNS-1123 subdomain prefix and `/`, then a name part as a label value, 1 to 63 characters. */
export function isLabelKey(value: string): boolean {
  const slash = value.lastIndexOf('/');
  const name = value.slice(slash + 1);
  return name !== '' && isLabelValue(name) && (slash < 0 || isDns1123Subdomain(value.slice(0, slash)));
}

/** An environment variable name as the API server accepts it: letters, digits, `_`, `-` and `.`, not starting with a digit. */
export function isEnvName(value: string): boolean {
  return /^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(value);
}

/** A Service port name (IANA_SVC_NAME): lower-case alphanumerics and '-', with a letter, at most 15. */
export function isPortName(value: string): boolean {
  return typeof value === 'string' && value.length <= 15 && DNS1123_LABEL.test(value) && /[a-z]/.test(value) && !value.includes('--');
}

/** An HTTP token (RFC 9110): a header or query parameter name as Istio takes it, and a cookie name. */
export function isToken(value: string): boolean {
  return /^[-!#$%&'*+.^_`|~A-Za-z0-9]+$/.test(value);
}

/** A header name as Istio wants it in a match: a token in lower case. */
export function isHeaderName(value: string): boolean {
  return isToken(value) && value === value.toLowerCase();
}

/** A cookie value as RFC 6265 has it: printable ASCII without space, `"`, `,`, `;` or `\\`, maybe empty. */
export function isCookieValue(value: string): boolean {
  return /^[!#-+\--:<-[\]-~]*$/.test(value);
}

/**
 * A host as Istio accepts it in Gateway servers and VirtualServices: `*`, `*.domain` or a domain,
 * whose labels are DNS labels of at most 63 characters (`ValidateWildcardDomain`).
 */
export function isHost(value: string): boolean {
  if (value === '*') return true;
  const domain = value.startsWith('*.') ? value.slice(2) : value;
  return domain.length <= 253 && domain.split('.').every(isDns1123Label);
}

/**
 * `namespace/name`, as a VirtualService names a Gateway: both DNS-1123 labels, as Istio wants
 * them (`validateGatewayNames`).
 */
export function isGatewayRef(value: string): boolean {
  const [namespace, name, ...rest] = value.split('/');
  return rest.length === 0 && name !== undefined && isDns1123Label(namespace) && isDns1123Label(name);
}

/** How a VirtualService outside the set is named, as errors say it. */
export const VIRTUAL_SERVICE_REF_FORM = 'a VirtualService as "namespace/name"';

/** `namespace/name` of a VirtualService, as a rule names its delegate: a DNS-1123 label, then the object's name, a DNS-1123 subdomain. */
export function isVirtualServiceRef(value: string): boolean {
  const [namespace, name, ...rest] = value.split('/');
  return rest.length === 0 && name !== undefined && isDns1123Label(namespace) && isDns1123Subdomain(name);
}

/**
 * Whether a host pattern covers a host, as Istio matches them: `*` covers everything and
 * `*.example.com` covers every name below example.com, at any depth.
 */
export function hostCovers(pattern: string, host: string): boolean {
  if (pattern === '*' || pattern === host) return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1));
}

/**
 * Turns a version label value into a name part: `1.10` becomes `1-10` and `V2_rc` becomes `v2-rc`.
 * A label value starts and ends alphanumeric, so the result is a DNS-1123 label.
 */
export function versionNamePart(version: string): string {
  return version.toLowerCase().replace(/[._]/g, '-');
}

/** The in-mesh name of a Service: its FQDN where the namespace is known, else the short name. */
export function serviceHost(name: string, namespace: string | undefined): string {
  return namespace ? `${name}.${namespace}.svc.cluster.local` : name;
}
