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
  /**
   * The code of `istioctl analyze` for the same fault (`IST0101` …), so that users who know its
   * messages can match them; as in `Verify.istioCodes()`.
   * @default - none: Istio's analyzers have no message for this fault
   */
  readonly istioCode?: string;
}

/**
 * The fields of Istio's MeshConfig (the `mesh` key of the `istio` ConfigMap in `istio-system`) that
 * change what the checks conclude. Each entry of an `exportTo` default is `*` (every namespace), `.`
 * (the object's own), `~` (none) or a namespace.
 */
export interface MeshConfigOptions {
  /**
   * Which namespaces see a Service without the annotation `networking.istio.io/exportTo`, and a
   * ServiceEntry without `exportTo`: the mesh's `defaultServiceExportTo`. Multi-tenant meshes
   * often set it to `['.']`, so that a Service is private to its namespace unless it says otherwise.
   * @default ['*']
   */
  readonly defaultServiceExportTo?: string[];
  /**
   * Which namespaces see a VirtualService without `exportTo`: the mesh's `defaultVirtualServiceExportTo`.
   * @default ['*']
   */
  readonly defaultVirtualServiceExportTo?: string[];
  /**
   * Which namespaces see a DestinationRule without `exportTo`, and so know its subsets and traffic
   * policy: the mesh's `defaultDestinationRuleExportTo`. istiod honours only `.` in it: a default
   * that lists `.` keeps such rules to their own namespace, and any other leaves them to every one.
   * @default ['*']
   */
  readonly defaultDestinationRuleExportTo?: string[];
  /**
   * The mesh's `rootNamespace`, whose RequestAuthentications apply to the pods of every namespace,
   * and whose DestinationRules a proxy takes for a host after those of its own namespace and of the
   * host's. Istio makes it the namespace istiod runs in.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * The mesh's `defaultConfig`, the settings of every proxy: its `proxyMetadata` says whether
   * sidecars answer DNS for ServiceEntry hosts with addresses istiod allocates.
   * @default - Istio's defaults: no DNS capture
   */
  readonly defaultConfig?: ProxyConfigOptions;
}

/** The fields of Istio's ProxyConfig (the MeshConfig's `defaultConfig`) that change what the checks conclude. */
export interface ProxyConfigOptions {
  /**
   * Environment variables of every proxy. Where `ISTIO_META_DNS_CAPTURE` is `"true"`, and
   * `ISTIO_META_DNS_AUTO_ALLOCATE` or `PILOT_ENABLE_IP_AUTOALLOCATE` is `"true"` too, sidecars answer
   * DNS for the hosts of a ServiceEntry without `addresses` with one istiod allocates, so its TCP
   * ports need none written (`service-entry-addresses-required`).
   * @default - none
   */
  readonly proxyMetadata?: { [name: string]: string };
}

/** The fields of {@link MeshConfigOptions} that are lists of namespaces. */
export const MESH_CONFIG_FIELDS = ['defaultServiceExportTo', 'defaultVirtualServiceExportTo', 'defaultDestinationRuleExportTo'] as const;

/** What the checks cannot see in the manifest set itself. */
export interface VerifyOptions extends MeshConfigOptions {
  /**
   * Destination hosts that live outside the manifest set (exact or `*.` wildcard), including the
   * Services that Gateway API backendRefs name, as `name.ns.svc.cluster.local`.
   * @default - none
   */
  readonly externalHosts?: string[];
  /**
   * `ns/name` gateways that exist outside the set: Istio Gateways that VirtualServices bind to, and
   * Gateway API Gateways that VirtualServices bind to or HTTPRoutes and GRPCRoutes name as parents.
   * @default - none
   */
  readonly externalGateways?: string[];
  /**
   * `ns/name` VirtualServices outside the set that rules of the set delegate to, such as a team's
   * routes applied from its own repository.
   * @default - none
   */
  readonly externalDelegates?: string[];
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
  /**
   * Gateway workloads that run outside the set, such as the ingress gateway that istioctl or Helm
   * installed: the labels of their pods, each as `key=value[,key=value]`, after `namespace:` where
   * the namespace they run in is known (`istio-ingress:istio=ingressgateway`), so that the routes
   * of their Gateways are checked from there. A Gateway whose `selector` holds only labels of one
   * of them is served. The default is the gateways of Istio's default install. Given, the list
   * replaces the default, so list those too when they are installed, e.g.
   * `['app=istio-ingressgateway,istio=ingressgateway', 'app=istio-egressgateway,istio=egressgateway', 'istio=internal-gateway']`.
   * @default ['app=istio-ingressgateway,istio=ingressgateway', 'app=istio-egressgateway,istio=egressgateway']
   */
  readonly externalGatewayWorkloads?: string[];
}

/** Each code: its one severity, and what it means in a line. */
const CODE_TABLE = {
  'object-unidentified': [Severity.WARNING, 'An entry is not an object, or has no `kind` or `metadata.name`; no check sees it.'],
  'duplicate-object': [Severity.ERROR, 'Two objects share API group, kind, namespace and name; each apply overwrites the other.'],
  'workload-selector-missing': [Severity.ERROR, 'An `apps/v1` workload (or Argo Rollout) has no `spec.selector`, which the API server (or Argo\'s controller) refuses.'],
  'workload-selector-mismatch': [Severity.ERROR, 'A workload\'s `spec.selector` does not match its own pod template labels.'],
  'service-selects-nothing': [Severity.ERROR, 'No workload\'s pods carry every label of the Service selector: no endpoints.'],
  'destination-host-not-found': [Severity.ERROR, 'A route destination host is no Service, ServiceEntry host or external host: 503.'],
  'host-partially-qualified': [Severity.ERROR, 'A host written `name.ns` (or `.svc`, `.svc.cluster`), which Istio takes literally.'],
  'subset-not-found': [Severity.ERROR, 'A destination names a subset that no DestinationRule for its host defines: 503.'],
  'destination-rule-host-not-found': [Severity.WARNING, 'A DestinationRule\'s host is no known host, so the rule applies to nothing.'],
  'subset-selects-nothing': [Severity.ERROR, 'A subset\'s labels, with the Service selector, match no pods: 503.'],
  'unrouted-subset-selects-nothing': [Severity.WARNING, 'A subset that no route of the set uses matches no pods: a route to it would get 503.'],
  'subset-selects-many': [Severity.WARNING, 'A subset matches the pods of more than one workload, so its weight mixes versions.'],
  'gateway-not-found': [Severity.ERROR, 'A `gateways` entry is not `mesh`, a Gateway in the set or an external gateway.'],
  'host-not-on-gateway': [Severity.ERROR, 'A bound Gateway admits none of a VirtualService\'s hosts, or a host is admitted by none of its Gateways.'],
  'wildcard-host-on-mesh': [Severity.ERROR, 'A VirtualService bound to the mesh has host `*`, which Istio rejects.'],
  'mesh-host-conflict': [Severity.ERROR, 'Two VirtualServices route the same host and protocol in the mesh; sidecars ignore one\'s routes.'],
  'delegate-not-found': [Severity.ERROR, 'A rule delegates to a VirtualService that is neither in the set nor declared external: istiod drops the rule.'],
  'delegate-has-hosts': [Severity.ERROR, 'A rule delegates to a VirtualService with hosts, which is no delegate: istiod drops the rule.'],
  'delegate-not-exported': [Severity.ERROR, 'A rule delegates to a VirtualService not exported to its namespace: istiod drops the rule.'],
  'delegate-match-conflict': [Severity.ERROR, 'A delegate rule has a match outside every match of the rule delegating to it: istiod drops it.'],
  'delegate-not-valid': [Severity.ERROR, 'A delegate has gateways, tcp, tls or a rule that delegates, or a rule that delegates has a route: Istio refuses it.'],
  'gateway-host-conflict': [Severity.WARNING, 'Two VirtualServices claim the same host through the same Gateway with routes that may take one request: the older wins.'],
  'rule-action-invalid': [Severity.ERROR, 'An http rule without one of route, redirect and directResponse, or with two, or with mirror and mirrors; a tcp or tls rule without route: Istio refuses it.'],
  'tls-route-invalid': [Severity.ERROR, 'A tls rule without a match, a match without `sniHosts`, or an SNI host that is no host of the VirtualService: Istio refuses it.'],
  'weight-invalid': [Severity.ERROR, 'A route weight is not a whole number from 0 to 2³¹−1, which Istio rejects.'],
  'weight-sum-zero': [Severity.ERROR, 'The weights of a route with several destinations add up to 0, which Istio rejects.'],
  'weight-sum-not-100': [Severity.ERROR, 'The weights of a split do not add up to 100; only with `requireWeightSum100`.'],
  'destination-port-not-found': [Severity.ERROR, '`destination.port.number` is not a port of the destination Service: 503.'],
  'destination-port-required': [Severity.ERROR, 'A gateway route to a Service with several ports names no port.'],
  'port-protocol-unknown': [Severity.WARNING, 'A routed Service port declares no protocol Istio knows, so Istio sniffs it.'],
  'http-route-to-non-http-port': [Severity.ERROR, 'An in-mesh `http` rule for hosts whose every port is declared a non-HTTP protocol: sidecars never apply it.'],
  'route-to-no-replicas': [Severity.ERROR, 'A route sends traffic to workloads that all run 0 replicas: 503.'],
  'destination-host-missing': [Severity.ERROR, 'A route destination has no host, which Istio rejects.'],
  'destination-host-not-exported': [Severity.ERROR, 'A destination\'s Service or ServiceEntry is not exported to a namespace where the VirtualService applies: 503 there.'],
  'destination-rule-not-exported': [Severity.ERROR, 'A destination\'s subset is defined only by DestinationRules not exported to a namespace where the route applies: 503 there.'],
  'destination-rule-shadowed': [Severity.ERROR, 'A destination\'s subset is defined by a DestinationRule, but where the route applies Istio takes another rule for the host, of the proxies\' own namespace or of a more specific host, which lacks it: 503 there.'],
  'destination-rule-not-consulted': [Severity.ERROR, 'A destination\'s subset is defined only by DestinationRules the proxies taking the route never take: in namespaces istiod does not consult for them (only their own, the host\'s and the root), or with a workloadSelector elsewhere: 503 there.'],
  'virtual-service-not-exported-to-gateway': [Severity.ERROR, 'A VirtualService is not exported to the namespace where the pods of a Gateway it binds to run, so that gateway never serves its routes.'],
  'destination-port-ambiguous': [Severity.WARNING, 'An in-mesh route to a Service with several ports names no port, and a host it serves is dialled on a port that Service lacks.'],
  'gateway-rule-kind-mismatch': [Severity.ERROR, 'A VirtualService bound to a gateway whose servers that admit its hosts build rules of another kind (http, tls, tcp): the gateway routes none of it.'],
  'gateway-route-bypasses-split': [Severity.WARNING, 'A gateway route to a host without subset, while a mesh VirtualService splits that host by subset: the gateway\'s share ignores the split.'],
  'gateway-internal-reference': [Severity.WARNING, 'A `gateways` entry names Istio\'s generated `~istio-autogenerated-k8s-gateway~` objects, which may change under it.'],
  'route-unreachable': [Severity.WARNING, 'A rule can never match, because an earlier rule matches everything it would.'],
  'match-ineffective': [Severity.WARNING, 'One match of a rule repeats an earlier match, so it never decides anything.'],
  'match-gateway-not-bound': [Severity.WARNING, 'A match names a gateway its VirtualService is not bound to, where istiod never applies it.'],
  'jwt-claim-route-on-mesh': [Severity.ERROR, 'A route matches on JWT claims in a VirtualService that applies to the mesh, which Istio refuses.'],
  'jwt-claim-route-without-authentication': [Severity.ERROR, 'A route matches on JWT claims, but no RequestAuthentication validates tokens on the gateway\'s pods.'],
  'deprecated-field': [Severity.WARNING, 'A field Istio has deprecated, which a later release drops.'],
  'destination-rule-tls-unverified': [Severity.WARNING, 'A DestinationRule originates TLS with no CA to verify the server by: no `caCertificates` for a Service, or a `credentialName` sidecars ignore.'],
  'destination-rule-tls-invalid': [Severity.ERROR, 'A DestinationRule\'s TLS in mode MUTUAL without a client certificate and key, or a `credentialName` beside certificate files: Istio refuses it.'],
  'destination-rule-port-tls-unverified': [Severity.WARNING, 'The same as `destination-rule-tls-unverified`, for the TLS of one port of a DestinationRule.'],
  'gateway-selects-nothing': [Severity.ERROR, 'A Gateway\'s selector matches no workload in the set and no declared external gateway workload.'],
  'gateway-port-not-on-service': [Severity.WARNING, 'A Gateway server port is no target port of the Services in front of its workload.'],
  'gateway-conflict': [Severity.ERROR, 'Two Gateways on the same workload and port admit the same host; one\'s server is ignored.'],
  'gateway-certificate-shared': [Severity.WARNING, 'One certificate serves Gateways of one workload; HTTP/2 clients reusing a connection get 404s.'],
  'gateway-secret-not-found': [Severity.ERROR, 'A Secret a server\'s `credentialName` or `credentialNames` names is not in the set beside the gateway workload.'],
  'gateway-certificate-invalid': [Severity.ERROR, 'A server\'s certificate Secret holds no valid certificate, or one that has expired.'],
  'service-entry-addresses-required': [Severity.WARNING, 'A ServiceEntry port that sidecars match by number alone (TCP and protocols proxied as TCP, or none) has no address: they send all traffic on that port to it.'],
  'service-entry-protocol-conflict': [Severity.WARNING, 'ServiceEntries seen in one namespace give one host and port different protocols; proxies take one of them.'],
  'external-name-port-name': [Severity.WARNING, 'An ExternalName Service port named for tcp or unnamed, which proxies may not forward.'],
  'workload-port-protocol-conflict': [Severity.WARNING, 'Services on one workload use the same port number with different protocols.'],
  'workload-target-port-conflict': [Severity.WARNING, 'Services on one workload map the same target port to different service ports.'],
  'backend-ref-not-found': [Severity.ERROR, 'An HTTPRoute or GRPCRoute backendRef names no Service of the set or external host, or a host name for a Service\'s: its requests fail.'],
  'backend-ref-port-not-found': [Severity.ERROR, 'A backendRef to a Service names no port, or a port the Service lacks: its requests fail.'],
  'backend-ref-not-permitted': [Severity.ERROR, 'A gateway route\'s backendRef to a Service of another namespace that no ReferenceGrant there permits: its requests fail.'],
  'route-parent-not-found': [Severity.ERROR, 'An HTTPRoute or GRPCRoute parentRef names a Gateway that is neither in the set nor declared external: the route attaches to nothing there.'],
  'route-not-accepted': [Severity.ERROR, 'No listener of a Gateway an HTTPRoute or GRPCRoute names takes it (section, port, hostname, namespace or kind): that gateway serves none of its rules.'],
  'waypoint-missing': [Severity.ERROR, 'A route for a Service in ambient mode that no waypoint serves: its weights and matches are ignored.'],
  'waypoint-not-found': [Severity.ERROR, 'A Service in ambient mode is enrolled with a waypoint that is no waypoint Gateway in the set.'],
  'fleet-wave-unsynced': [Severity.ERROR, 'An ApplicationSet\'s RollingSync selects none of the Applications a generator makes: their clusters keep the old release.'],
  'fleet-rollout-target-missing': [Severity.ERROR, 'A Kurator rollout names a workload or Service that the synced manifests lack: the release never starts.'],
  'object-renamed': [Severity.ERROR, 'Progression: an object has a new name but is the same as in the previous step.'],
  'route-before-pods': [Severity.ERROR, 'Progression: traffic goes to a workload that ran no pods in the previous step.'],
  'subset-removed-while-routed': [Severity.ERROR, 'Progression: a subset that took traffic in the previous step is gone.'],
} as const;

/** A finding code: a key of `CODES`. */
export type Code = keyof typeof CODE_TABLE;

function column<T>(pick: (entry: readonly [Severity, string]) => T): Readonly<Record<Code, T>> {
  return Object.fromEntries(Object.entries(CODE_TABLE).map(([code, entry]) => [code, pick(entry)])) as Record<Code, T>;
}

/**
 * Every code with its one severity. A code never changes severity with context, so tools can
 * filter on codes alone; where Istio behaves differently in two contexts there are two codes.
 * TypeScript only; {@link Verify.codes} gives the same in every language.
 */
export const CODES: Readonly<Record<Code, Severity>> = column(([severity]) => severity);

/** What each code means, in a line: the rule descriptions of SARIF output. */
export const CODE_SUMMARIES: Readonly<Record<Code, string>> = column(([, summary]) => summary);

/**
 * The message of `istioctl analyze` (istio/istio `pkg/config/analysis/msg/messages.yaml`) that
 * reports the same fault. Istio reports some faults under one code that this project tells apart,
 * so several codes may share one; the route checks Istio lacks have none.
 */
export const ISTIO_CODES: Readonly<Partial<Record<Code, string>>> = {
  'destination-host-not-found': 'IST0101',
  'destination-host-missing': 'IST0101',
  'destination-host-not-exported': 'IST0101',
  'destination-port-not-found': 'IST0101',
  'subset-not-found': 'IST0101',
  'gateway-not-found': 'IST0101',
  'gateway-selects-nothing': 'IST0101',
  'gateway-secret-not-found': 'IST0101',
  'rule-action-invalid': 'IST0106',
  'tls-route-invalid': 'IST0106',
  'weight-invalid': 'IST0106',
  'weight-sum-zero': 'IST0106',
  'wildcard-host-on-mesh': 'IST0106',
  'delegate-not-valid': 'IST0106',
  'deprecated-field': 'IST0002',
  'mesh-host-conflict': 'IST0109',
  'destination-port-required': 'IST0112',
  'destination-port-ambiguous': 'IST0112',
  'workload-port-protocol-conflict': 'IST0116',
  'port-protocol-unknown': 'IST0118',
  'destination-rule-tls-unverified': 'IST0128',
  'destination-rule-port-tls-unverified': 'IST0129',
  'destination-rule-tls-invalid': 'IST0106',
  'route-unreachable': 'IST0130',
  'match-ineffective': 'IST0131',
  'host-not-on-gateway': 'IST0132',
  'workload-target-port-conflict': 'IST0137',
  'gateway-certificate-shared': 'IST0138',
  'gateway-route-bypasses-split': 'IST0140',
  'gateway-conflict': 'IST0145',
  'jwt-claim-route-without-authentication': 'IST0149',
  'jwt-claim-route-on-mesh': 'IST0106',
  'external-name-port-name': 'IST0150',
  'gateway-certificate-invalid': 'IST0161',
  'gateway-port-not-on-service': 'IST0162',
  'gateway-internal-reference': 'IST0165',
  'subset-selects-nothing': 'IST0173',
  'unrouted-subset-selects-nothing': 'IST0173',
  'destination-rule-host-not-found': 'IST0174',
  'service-entry-addresses-required': 'IST0134',
  'service-entry-protocol-conflict': 'IST0177',
};

export function finding(code: Code, object: string, path: string, message: string): Finding {
  const istioCode = ISTIO_CODES[code];
  return istioCode ? { code, severity: CODES[code], object, path, message, istioCode } : { code, severity: CODES[code], object, path, message };
}
