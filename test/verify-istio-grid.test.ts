import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import { VerifyOptions } from '../src/verify';
import { verifiedFindings } from './support/findings';

/**
 * Parity with `istioctl analyze`, case by case: every case of Istio's own analyzer tests
 * (istio/istio pkg/config/analysis/analyzers/analyzers_test.go, `testGrid`) whose analyzer reads
 * routing objects, on its own input files, transcribed in fixtures/analyze/istio-grid. Istio runs
 * one analyzer per case; so does this, through the codes here that report the same faults. What
 * Istio expects and verify finds must agree, but for the deviations below, each of which
 * docs/findings.md explains.
 */

interface GridCase {
  readonly name: string;
  readonly analyzer: string;
  readonly inputs: string[];
  readonly options?: VerifyOptions;
  /** `Kind name` or `Kind namespace/name`, as Istio's test writes it; without a namespace when the input has none. */
  readonly expected: { readonly code: string; readonly origin: string }[];
}

const GRID = join(__dirname, 'fixtures', 'analyze', 'istio-grid');
const CASES: GridCase[] = JSON.parse(readFileSync(join(GRID, 'cases.json'), 'utf8'));

/** The codes of verify that report what each of Istio's analyzers reports. */
const COUNTERPARTS: Readonly<Record<string, readonly string[]>> = {
  'deployment.ServiceAssociationAnalyzer': ['workload-port-protocol-conflict', 'workload-target-port-conflict'],
  'deprecation.FieldAnalyzer': ['deprecated-field'],
  'destinationrule.PodNotSelectedAnalyzer': ['subset-selects-nothing', 'unrouted-subset-selects-nothing', 'destination-rule-host-not-found'],
  'destinationrule.CaCertificateAnalyzer': ['destination-rule-tls-unverified', 'destination-rule-port-tls-unverified'],
  'gateway.ConflictingGatewayAnalyzer': ['gateway-conflict'],
  'gateway.IngressGatewayPortAnalyzer': ['gateway-selects-nothing', 'gateway-port-not-on-service'],
  'gateway.SecretAnalyzer': ['gateway-selects-nothing', 'gateway-secret-not-found', 'gateway-certificate-invalid'],
  'gateway.CertificateAnalyzer': ['gateway-certificate-shared'],
  'service.PortNameAnalyzer': ['port-protocol-unknown', 'external-name-port-name'],
  'serviceentry.ConflictingServiceEntryProtocolAnalyzer': ['service-entry-protocol-conflict'],
  'serviceentry.ProtocolAddressesAnalyzer': ['service-entry-addresses-required'],
  'virtualservice.ConflictingMeshGatewayHostsAnalyzer': ['mesh-host-conflict'],
  'virtualservice.DestinationHostAnalyzer': ['destination-host-not-found', 'destination-host-missing', 'destination-host-not-exported',
    'destination-port-not-found', 'destination-port-required', 'destination-port-ambiguous', 'gateway-route-bypasses-split'],
  'virtualservice.DestinationRuleAnalyzer': ['subset-not-found'],
  'virtualservice.GatewayAnalyzer': ['gateway-not-found', 'host-not-on-gateway', 'gateway-internal-reference'],
  'virtualservice.JWTClaimRouteAnalyzer': ['jwt-claim-route-without-authentication'],
  'schemaValidation.CollectionValidationAnalyzer(collections.VirtualService)': ['route-unreachable', 'match-ineffective'],
};

/** Where verify and Istio's test disagree on purpose: what Istio expects that verify leaves out, and what verify finds beyond it, with why. */
const DEVIATIONS: Readonly<Record<string, { readonly missing?: string[]; readonly extra?: string[]; readonly why: string }>> = {
  'deprecation': { missing: ['IST0002 Sidecar default/no-selector'], why: 'Sidecar resources are not modelled' },
  'gatewayBadPort': {
    missing: ['IST0162 Gateway httpbin-gateway'],
    why: 'the default gateway pods (istio=ingressgateway) run outside the set, so their Service and its ports are unknown; Istio\'s test adds the default install\'s',
  },
  'gatewaySecret': {
    missing: ['IST0101 Gateway defaultgateway-bogusCredentialName'],
    why: 'gateway pods declared outside the set have their Secrets outside it too',
  },
  'gatewaySecretValidations': {
    missing: ['IST0161 Gateway defaultgateway-expired', 'IST0161 Gateway defaultgateway-invalid-cert', 'IST0161 Gateway defaultgateway-invalid-keys',
      'IST0161 Gateway defaultgateway-missing-keys'],
    why: 'as gatewaySecret: the Secrets of gateway pods outside the set are not read',
  },
  'virtualServiceConflictingMeshGatewayHostsWithExportTo': {
    missing: ['IST0109 VirtualService bar/productpage-d', 'IST0109 VirtualService foo/productpage-d'],
    why: 'istiod routes each host by its most specific wildcard, so `*.productpage.d` and `*.d` do not conflict',
  },
  'virtualServiceDestinationHosts': {
    missing: ['IST0112 VirtualService default/reviews-2port-missing'],
    why: 'a mesh route without a port keeps the port the client dialled, which is only a mistake for a host dialled on a port the destination lacks '
      + '(destination-port-ambiguous), and this VirtualService, a delegate without a root, claims no host',
  },
  'virtualServiceGateways': {
    missing: ['IST0132 VirtualService httpbin-bogus'],
    why: 'a missing gateway is gateway-not-found (IST0101) alone, since it admits nothing because it is not there',
  },
  'virtualServiceJWTClaimRoute': {
    missing: ['IST0149 VirtualService foo'],
    why: 'the gateway pods (istio=ingressgateway) run outside the set, where a RequestAuthentication may select them',
  },
  'serviceMultipleDeployments': {
    missing: ['IST0116 Deployment bookinfo/multiple-svc-multiple-prot', 'IST0116 Deployment bookinfo/multiple-without-port',
      'IST0137 Deployment bookinfo/conflicting-ports'],
    extra: ['IST0116 Service bookinfo/conflicting-ports-1', 'IST0116 Service bookinfo/conflicting-ports-2', 'IST0116 Service bookinfo/details-http-v1',
      'IST0116 Service bookinfo/details-tcp-v1', 'IST0116 Service bookinfo/productpage-http-v1', 'IST0116 Service bookinfo/productpage-tcp-v1',
      'IST0137 Service bookinfo/conflicting-ports-1', 'IST0137 Service bookinfo/conflicting-ports-2'],
    why: 'reported on each Service port, naming the workload, where Istio reports the Deployment; and by the pod port the Services share, '
      + 'so two Services giving one pod port two protocols conflict whatever their own port numbers',
  },
  'dupmatches': {
    extra: ['IST0130 VirtualService overlapping-in-two-matches', 'IST0131 VirtualService default/uri-with-prefix-exact'],
    why: 'a rule whose every match an earlier rule covers is unreachable, and a prefix covers an exact path it starts, which Istio\'s check compares only as identical',
  },
  'DestinationRuleSubsetsNotSelectPods': {
    missing: ['IST0173 DestinationRule default/subsets-not-select-pods'],
    why: 'the Service selects no workload at all, which service-selects-nothing reports on the Service instead of each subset',
  },
};

function load(file: string): unknown[] {
  return parseAllDocuments(readFileSync(join(GRID, file), 'utf8')).map(d => d.toJS()).filter(value => value !== null);
}

/** `IST0101 Kind namespace/name`, the namespace left out where Istio's test leaves it out. */
function reported(code: string, object: string, bare: ReadonlySet<string>): string {
  const [kind, namespace, name] = object.split('/');
  return `${code} ${kind} ${bare.has(`${kind} ${name}`) ? '' : `${namespace}/`}${name}`;
}

describe('parity with istioctl analyze on Istio\'s own analyzer tests', () => {
  test('covers every case of the routing analyzers, each with counterparts', () => {
    expect(CASES.length).toBe(63);
    expect(CASES.filter(c => COUNTERPARTS[c.analyzer] === undefined).map(c => c.analyzer)).toEqual([]);
  });

  test.each(CASES.map(c => [c.name, c] as const))('%s', (name, gridCase) => {
    const expected = gridCase.expected.map(e => `${e.code} ${e.origin}`);
    const bare = new Set(gridCase.expected.map(e => e.origin).filter(origin => !origin.includes('/')));
    const codes = COUNTERPARTS[gridCase.analyzer];
    const found = verifiedFindings(gridCase.inputs.flatMap(load), gridCase.options)
      .filter(f => codes.includes(f.code))
      .map(f => reported(f.istioCode ?? f.code, f.object, bare));
    const deviation = DEVIATIONS[name] ?? { why: 'none' };
    expect({
      missing: [...new Set(expected.filter(e => !found.includes(e)))].sort(),
      extra: [...new Set(found.filter(f => !expected.includes(f)))].sort(),
    }).toEqual({ missing: deviation.missing ?? [], extra: deviation.extra ?? [] });
  });
});
