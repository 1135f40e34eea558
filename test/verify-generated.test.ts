import { Finding } from '../src/verify';
import { verifiedFindings } from './support/findings';

/**
 * What controllers make from objects of the set, named by its routes: istiod's Service for each
 * Kubernetes Gateway it manages (the egress gateway task of Istio's documentation routes to it),
 * and Flagger's Services and VirtualService for each Canary. They count as declared outside the set.
 */

type Obj = Record<string, any>;

function kubernetesGateway(name: string, spec: Obj = {}, annotations?: Obj, namespace = 'default'): Obj {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace, ...annotations ? { annotations } : {} },
    spec: { gatewayClassName: 'istio', listeners: [{ name: 'http', hostname: 'edition.cnn.com', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } }], ...spec },
  };
}

const CNN = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'cnn', namespace: 'default' },
  spec: { hosts: ['edition.cnn.com'], ports: [{ number: 80, name: 'http-port', protocol: 'HTTP' }], resolution: 'DNS' } };

/** The HTTPRoute of the egress gateway task: the mesh's requests for edition.cnn.com go to the gateway's Service. */
function toGateway(service: string, namespace = 'default'): Obj {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'direct-cnn-to-egress-gateway', namespace: 'default' },
    spec: { parentRefs: [{ kind: 'ServiceEntry', group: 'networking.istio.io', name: 'cnn' }], rules: [{ backendRefs: [{ name: service, namespace, port: 80 }] }] },
  };
}

function codes(objects: Obj[]): string[] {
  return verifiedFindings(objects).map((f: Finding) => `${f.code} ${f.path}`);
}

const NOT_FOUND = ['backend-ref-not-found spec.rules[0].backendRefs[0].name'];

describe('the Service istiod makes for a Kubernetes Gateway it manages', () => {
  test('is <name>-<gatewayClassName>, in the Gateway\'s namespace, as the egress gateway task routes to it', () => {
    expect(codes([CNN, kubernetesGateway('cnn-egress-gateway'), toGateway('cnn-egress-gateway-istio')])).toEqual([]);
    // A class of the user's whose GatewayClass names Istio's controller, as a class of Istio's own.
    const edge = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'edge' }, spec: { controllerName: 'istio.io/gateway-controller' } };
    expect(codes([CNN, edge, kubernetesGateway('cnn-egress-gateway', { gatewayClassName: 'edge' }), toGateway('cnn-egress-gateway-edge')])).toEqual([]);
    // A mesh route needs no ReferenceGrant to another namespace's Service.
    expect(codes([CNN, kubernetesGateway('cnn-egress-gateway', {}, undefined, 'egress'), toGateway('cnn-egress-gateway-istio', 'egress')])).toEqual([]);
  });

  test('fails when no Gateway makes the Service, or a Gateway of another name or namespace does', () => {
    expect(codes([CNN, toGateway('cnn-egress-gateway-istio')])).toEqual(NOT_FOUND);
    expect(codes([CNN, kubernetesGateway('other'), toGateway('cnn-egress-gateway-istio')])).toEqual(NOT_FOUND);
    expect(codes([CNN, kubernetesGateway('cnn-egress-gateway', {}, undefined, 'egress'), toGateway('cnn-egress-gateway-istio')])).toEqual(NOT_FOUND);
    // The Gateway's own name is no Service for the istio class.
    expect(codes([CNN, kubernetesGateway('cnn-egress-gateway'), toGateway('cnn-egress-gateway')])).toEqual(NOT_FOUND);
  });

  test.each([
    ['a waypoint', 'istio-waypoint'],
    ['an east-west gateway', 'istio-east-west'],
    ['an agentgateway', 'istio-agentgateway'],
    ['an agentgateway waypoint', 'istio-agentgateway-waypoint'],
  ])('is the Gateway\'s own name for %s', (_, gatewayClassName) => {
    expect(codes([CNN, kubernetesGateway('cnn-egress-gateway', { gatewayClassName }), toGateway('cnn-egress-gateway')])).toEqual([]);
    expect(codes([CNN, kubernetesGateway('cnn-egress-gateway', { gatewayClassName }), toGateway(`cnn-egress-gateway-${gatewayClassName}`)])).toEqual(NOT_FOUND);
  });

  test.each([
    ['istio-remote, which deploys nothing', [], 'istio-remote'],
    ['of another controller', [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'nginx' }, spec: { controllerName: 'nginx.org/gateway' } }], 'nginx'],
    ['unknown to the set', [], 'nginx'],
    ['named in a GatewayClass without controller', [{ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'nginx' }, spec: {} }], 'nginx'],
  ])('is none for a class %s', (_, classes, gatewayClassName) => {
    for (const name of ['cnn-egress-gateway', `cnn-egress-gateway-${gatewayClassName}`]) {
      expect(codes([CNN, ...classes, kubernetesGateway('cnn-egress-gateway', { gatewayClassName }), toGateway(name)])).toEqual(NOT_FOUND);
    }
  });

  test('is the name the annotation gateway.istio.io/name-override gives, and no other', () => {
    const renamed = kubernetesGateway('cnn-egress-gateway', {}, { 'gateway.istio.io/name-override': 'egress' });
    expect(codes([CNN, renamed, toGateway('egress')])).toEqual([]);
    expect(codes([CNN, renamed, toGateway('cnn-egress-gateway-istio')])).toEqual(NOT_FOUND);
  });

  test('is none for a Gateway that istiod does not manage: one with an address other than one IP, or no class', () => {
    const addressed = (...addresses: Obj[]) => codes([CNN, kubernetesGateway('cnn-egress-gateway', { addresses }), toGateway('cnn-egress-gateway-istio')]);
    expect(addressed({ type: 'Hostname', value: 'egress.default.svc.cluster.local' })).toEqual(NOT_FOUND);
    expect(addressed({ type: 'NamedAddress', value: 'egress' })).toEqual(NOT_FOUND);
    expect(addressed({ type: 'IPAddress', value: '10.0.0.1' }, { type: 'IPAddress', value: '10.0.0.2' })).toEqual(NOT_FOUND);
    expect(addressed({ type: 'IPAddress', value: '10.0.0.1' })).toEqual([]);
    expect(addressed({ value: '10.0.0.1' })).toEqual([]);
    expect(addressed()).toEqual([]);
    const classless = kubernetesGateway('cnn-egress-gateway', { gatewayClassName: undefined });
    expect(codes([CNN, classless, toGateway('cnn-egress-gateway-istio')]).filter(code => code.startsWith('backend'))).toEqual(NOT_FOUND);
  });

  test('is a host a VirtualService may route to', () => {
    const route = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'cnn', namespace: 'default' },
      spec: { hosts: ['edition.cnn.com'], http: [{ route: [{ destination: { host: 'cnn-egress-gateway-istio.default.svc.cluster.local', port: { number: 80 } } }] }] } };
    expect(codes([CNN, kubernetesGateway('cnn-egress-gateway'), route])).toEqual([]);
    expect(codes([CNN, route])).toEqual(['destination-host-not-found spec.http[0].route[0].destination.host']);
  });
});

describe('what Flagger makes for a Canary', () => {
  const canary = (spec: Obj = {}) => ({
    apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'podinfo', namespace: 'test' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' }, service: { port: 9898, delegation: true }, analysis: { interval: '15s' }, ...spec },
  });
  const root = (delegate: string, host?: string) => ({
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'root', namespace: 'test' },
    spec: { hosts: ['podinfo.example.com'], http: [host ? { route: [{ destination: { host } }] } : { delegate: { name: delegate, namespace: 'test' } }] },
  });

  test('is the VirtualService a root delegates to, named after the target or service.name, as Flagger\'s delegation test has it', () => {
    expect(codes([canary(), root('podinfo')])).toEqual([]);
    expect(codes([canary({ service: { name: 'web', port: 9898, delegation: true } }), root('web')])).toEqual([]);
    expect(codes([canary({ service: { name: 'web', port: 9898, delegation: true } }), root('podinfo')])).toEqual(['delegate-not-found spec.http[0].delegate']);
    expect(codes([root('podinfo')])).toEqual(['delegate-not-found spec.http[0].delegate']);
  });

  test('is no VirtualService with a provider other than Istio', () => {
    expect(codes([canary({ provider: 'istio' }), root('podinfo')])).toEqual([]);
    expect(codes([canary({ provider: 'linkerd' }), root('podinfo')])).toEqual(['delegate-not-found spec.http[0].delegate']);
  });

  test.each(['podinfo', 'podinfo-primary', 'podinfo-canary'])('is the Service %s, which a route may name', host => {
    expect(codes([canary({ provider: 'linkerd' }), root('', host)])).toEqual([]);
    expect(codes([root('', host)])).toEqual(['destination-host-not-found spec.http[0].route[0].destination.host']);
  });

  test('is no Service where the target is a Service itself, which Flagger\'s Kubernetes router leaves alone', () => {
    const ofService = canary({ targetRef: { apiVersion: 'v1', kind: 'Service', name: 'podinfo' }, provider: 'linkerd' });
    expect(codes([ofService, root('', 'podinfo-primary')])).toEqual(['destination-host-not-found spec.http[0].route[0].destination.host']);
    expect(codes([canary({ targetRef: { apiVersion: 'v1', kind: 'Service', name: 'podinfo' } }), root('podinfo')])).toEqual([]);
  });

  test('is nothing for a Canary that names no target or service', () => {
    expect(codes([canary({ targetRef: {} }), root('podinfo')])).toEqual(['delegate-not-found spec.http[0].delegate']);
    expect(codes([canary({ targetRef: {} }), root('', 'podinfo-primary')])).toEqual(['destination-host-not-found spec.http[0].route[0].destination.host']);
  });
});
