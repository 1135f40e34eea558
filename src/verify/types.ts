export enum Severity {
  ERROR = 'error',
  WARNING = 'warning',
}

export interface Finding {
  /** Stable kebab-case code, documented in docs/findings.md. */
  readonly code: string;
  readonly severity: Severity;
  /** `Kind/namespace/name` of the object to fix. */
  readonly object: string;
  /** Field path in that object, e.g. `spec.http[0].route[1].destination.subset`. */
  readonly path: string;
  /** Lower-case; says what is wrong with the value and how to fix it. */
  readonly message: string;
}

export interface VerifyOptions {
  /** Destination hosts that live outside the manifest set (exact or `*.` wildcard). */
  readonly externalHosts?: string[];
  /** `ns/name` gateways that exist outside the set. */
  readonly externalGateways?: string[];
  /** Meshes older than Istio 1.15 reject weights that do not add up to 100. */
  readonly requireWeightSum100?: boolean;
  /** Namespace of objects without one; default `default`. */
  readonly defaultNamespace?: string;
}

/**
 * Every code with its one severity. A code never changes severity with context, so tools can
 * filter on codes alone; where Istio behaves differently in two contexts there are two codes.
 */
export const CODES = {
  'object-unidentified': Severity.WARNING,
  'duplicate-object': Severity.ERROR,
  'workload-selector-missing': Severity.ERROR,
  'workload-selector-mismatch': Severity.ERROR,
  'service-selects-nothing': Severity.ERROR,
  'destination-host-not-found': Severity.ERROR,
  'host-partially-qualified': Severity.ERROR,
  'subset-not-found': Severity.ERROR,
  'destination-rule-host-not-found': Severity.WARNING,
  'subset-selects-nothing': Severity.ERROR,
  'subset-selects-many': Severity.WARNING,
  'gateway-not-found': Severity.ERROR,
  'host-not-on-gateway': Severity.ERROR,
  'wildcard-host-on-mesh': Severity.ERROR,
  'mesh-host-conflict': Severity.ERROR,
  'gateway-host-conflict': Severity.WARNING,
  'weight-invalid': Severity.ERROR,
  'weight-sum-zero': Severity.ERROR,
  'weight-sum-not-100': Severity.ERROR,
  'destination-port-not-found': Severity.ERROR,
  'destination-port-required': Severity.ERROR,
  'port-protocol-unknown': Severity.WARNING,
  'http-route-to-non-http-port': Severity.ERROR,
  'route-to-no-replicas': Severity.ERROR,
  'object-renamed': Severity.ERROR,
  'route-before-pods': Severity.ERROR,
  'subset-removed-while-routed': Severity.ERROR,
} as const;

export type Code = keyof typeof CODES;

export function finding(code: Code, object: string, path: string, message: string): Finding {
  return { code, severity: CODES[code], object, path, message };
}
