/** How bad a finding is. A route check fails the synth on errors only. */
export enum Severity {
  /** Traffic fails, or Istio or the API server rejects the object. */
  ERROR = 'error',
  /** Possibly wrong, or harmless on its own (traffic still flows); a route check lets it pass. */
  WARNING = 'warning',
}

/** One problem in a manifest set, with where it is and how to fix it. */
export interface Finding {
  /** Stable kebab-case code, documented in docs/findings.md. */
  readonly code: string;
  /** The code's one severity, as in `Verify.codes()`. */
  readonly severity: Severity;
  /** `Kind/namespace/name` of the object to fix. */
  readonly object: string;
  /** Field path in that object, e.g. `spec.http[0].route[1].destination.subset`. */
  readonly path: string;
  /** Lower-case; says what is wrong with the value and how to fix it. */
  readonly message: string;
}

/** What the checks cannot see in the manifest set itself. */
export interface VerifyOptions {
  /**
   * Destination hosts that live outside the manifest set (exact or `*.` wildcard).
   * @default - none
   */
  readonly externalHosts?: string[];
  /**
   * `ns/name` gateways that exist outside the set.
   * @default - none
   */
  readonly externalGateways?: string[];
  /**
   * Reports weights that do not add up to 100, which meshes older than Istio 1.15 reject.
   * @default false
   */
  readonly requireWeightSum100?: boolean;
  /**
   * Namespace of objects without one.
   * @default 'default'
   */
  readonly defaultNamespace?: string;
}

/**
 * Every code with its one severity. A code never changes severity with context, so tools can
 * filter on codes alone; where Istio behaves differently in two contexts there are two codes.
 * TypeScript only; {@link Verify.codes} gives the same in every language.
 */
export const CODES = {
  /** An entry is not an object, or has no `kind` or `metadata.name`; no check sees it. */
  'object-unidentified': Severity.WARNING,
  /** Two objects share API group, kind, namespace and name; each apply overwrites the other. */
  'duplicate-object': Severity.ERROR,
  /** An `apps/v1` workload has no `spec.selector`, which the API server rejects. */
  'workload-selector-missing': Severity.ERROR,
  /** A workload's `spec.selector` does not match its own pod template labels. */
  'workload-selector-mismatch': Severity.ERROR,
  /** No workload's pods carry every label of the Service selector: no endpoints. */
  'service-selects-nothing': Severity.ERROR,
  /** A route destination host is no Service, ServiceEntry host or external host: 503. */
  'destination-host-not-found': Severity.ERROR,
  /** A host written `name.ns` (or `.svc`, `.svc.cluster`), which Istio takes literally. */
  'host-partially-qualified': Severity.ERROR,
  /** A destination names a subset that no DestinationRule for its host defines: 503. */
  'subset-not-found': Severity.ERROR,
  /** A DestinationRule's host is no known host, so the rule applies to nothing. */
  'destination-rule-host-not-found': Severity.WARNING,
  /** A subset's labels, with the Service selector, match no pods: 503. */
  'subset-selects-nothing': Severity.ERROR,
  /** A subset matches the pods of more than one workload, so its weight mixes versions. */
  'subset-selects-many': Severity.WARNING,
  /** A `gateways` entry is not `mesh`, a Gateway in the set or an external gateway. */
  'gateway-not-found': Severity.ERROR,
  /** A VirtualService host is admitted by no server of the Gateways it is bound to. */
  'host-not-on-gateway': Severity.ERROR,
  /** A VirtualService bound to the mesh has host `*`, which Istio rejects. */
  'wildcard-host-on-mesh': Severity.ERROR,
  /** Two VirtualServices claim the same host in the mesh; sidecars ignore one's routes. */
  'mesh-host-conflict': Severity.ERROR,
  /** Two VirtualServices claim the same host through the same Gateway, merged in creation order. */
  'gateway-host-conflict': Severity.WARNING,
  /** A route weight is not a whole number from 0 to 2³¹−1, which Istio rejects. */
  'weight-invalid': Severity.ERROR,
  /** The weights of a route with several destinations add up to 0, which Istio rejects. */
  'weight-sum-zero': Severity.ERROR,
  /** The weights of a split do not add up to 100; only with `requireWeightSum100`. */
  'weight-sum-not-100': Severity.ERROR,
  /** `destination.port.number` is not a port of the destination Service: 503. */
  'destination-port-not-found': Severity.ERROR,
  /** A gateway route to a Service with several ports names no port. */
  'destination-port-required': Severity.ERROR,
  /** A routed Service port declares no protocol Istio knows, so Istio sniffs it. */
  'port-protocol-unknown': Severity.WARNING,
  /** An in-mesh `http` route reaches a port declared as a non-HTTP protocol. */
  'http-route-to-non-http-port': Severity.ERROR,
  /** A route sends traffic to workloads that all run 0 replicas: 503. */
  'route-to-no-replicas': Severity.ERROR,
  /** Progression: an object has a new name but is the same as in the previous step. */
  'object-renamed': Severity.ERROR,
  /** Progression: traffic goes to a workload that ran no pods in the previous step. */
  'route-before-pods': Severity.ERROR,
  /** Progression: a subset that took traffic in the previous step is gone. */
  'subset-removed-while-routed': Severity.ERROR,
} as const;

/** A finding code: a key of `CODES`. */
export type Code = keyof typeof CODES;

export function finding(code: Code, object: string, path: string, message: string): Finding {
  return { code, severity: CODES[code], object, path, message };
}
