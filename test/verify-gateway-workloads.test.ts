import { readFileSync } from 'fs';
import { join } from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { run } from './support/cli';
import { IstioGateway, RouteCheck } from '../src';
import { CODES, Finding, Verify, VerifyOptions, verifyManifests } from '../src/verify';
import { manifestFindings } from '../src/verify/verify-manifests';

type Obj = Record<string, any>;

const FIXTURES = join(__dirname, 'fixtures', 'analyze', 'gateways');

function loadFixture(name: string): Obj[] {
  return parseAllDocuments(readFileSync(join(FIXTURES, name), 'utf8')).map(d => d.toJS());
}

/** The checks of this file's module; other modules' findings on these sets are not under test here. */
const GATEWAY_CODES = ['gateway-selects-nothing', 'gateway-port-not-on-service', 'gateway-conflict'];

function verify(objects: unknown[], options?: VerifyOptions): Finding[] {
  const findings = verifyManifests(objects, options).filter(f => GATEWAY_CODES.includes(f.code));
  for (const f of findings) expect(f.severity).toBe(CODES[f.code as keyof typeof CODES]);
  return findings;
}

function gateway(name: string, selector: Obj | undefined, servers: Obj[], namespace = 'istio-system'): Obj {
  return { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name, namespace }, spec: { selector, servers } };
}

function server(number: unknown, hosts: unknown[], protocol = 'HTTP', extra: Obj = {}): Obj {
  return { port: { number, name: `${protocol.toLowerCase()}-${String(number)}`, protocol }, hosts, ...extra };
}

function deployment(name: string, namespace: string, labels: Obj, ports: Obj[] = []): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'istio-proxy', image: 'auto', ports }] } } },
  };
}

function pod(name: string, namespace: string, labels: Obj, ports: Obj[] = []): Obj {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'istio-proxy', image: 'auto', ports }] } };
}

function service(name: string, namespace: string, selector: Obj | undefined, ports: Obj[]): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports } };
}

function kubernetesGateway(name: string, namespace: string, gatewayClassName?: string): Obj {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name, namespace },
    spec: { gatewayClassName, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
  };
}

const HTTP = server(80, ['*']);

describe('gateway-selects-nothing', () => {
  const edge = (selector: Obj) => [
    deployment('edge-gateway', 'edge', { app: 'edge-gateway', tier: 'ingress' }),
    service('edge-gateway', 'edge', { app: 'edge-gateway' }, [{ port: 80 }, { port: 81 }]),
    gateway('edge', selector, [HTTP], 'edge'),
  ];

  test('fails when a Gateway\'s selector matches no workload and no external gateway workload, naming the nearest pods', () => {
    expect(verify(edge({ app: 'edge-gateway', tier: 'ingres' }))).toEqual([{
      code: 'gateway-selects-nothing',
      severity: 'error',
      object: 'Gateway/edge/edge',
      path: 'spec.selector',
      message: 'selector app=edge-gateway, tier=ingres matches the pods of no workload in the set and of no external gateway workload '
        + '(app=istio-ingressgateway,istio=ingressgateway; app=istio-egressgateway,istio=egressgateway), so no proxy serves this Gateway; change it to the labels of the gateway pods; '
        + 'Deployment/edge/edge-gateway comes closest, but its pods lack tier=ingres (they carry app=edge-gateway, tier=ingress), '
        + 'or, when those pods run outside the set, declare them: --external-gateway-workload app=edge-gateway,tier=ingres on the command line, '
        + 'RouteCheck.of(chart).addExternalGatewayWorkload(\'app=edge-gateway,tier=ingres\') in a chart',
      istioCode: 'IST0101',
    }]);
  });

  test('passes when the selector holds labels of the workload\'s pods, in any namespace, as istiod picks gateway pods', () => {
    expect(verify(edge({ app: 'edge-gateway', tier: 'ingress' }))).toEqual([]);
    expect(verify(edge({ tier: 'ingress' }))).toEqual([]);
    expect(verify([...edge({ app: 'edge-gateway' }), gateway('elsewhere', { app: 'edge-gateway' }, [server(81, ['*'])], 'shop')])).toEqual([]);
  });

  test('passes when the pods are a bare Pod\'s', () => {
    const objects = [pod('edge-0', 'edge', { app: 'edge-gateway' }), service('edge-gateway', 'edge', { app: 'edge-gateway' }, [{ port: 80 }])];
    expect(verify([...objects, gateway('edge', { app: 'edge-gateway' }, [HTTP], 'edge')])).toEqual([]);
  });

  test('passes on Istio\'s default gateways, which run outside the set, for a selector that holds only their pods\' labels', () => {
    expect(verify([gateway('public', { istio: 'ingressgateway' }, [HTTP]), gateway('egress', { istio: 'egressgateway' }, [HTTP])])).toEqual([]);
    // The pods of Istio's install carry both labels, and many selectors name both.
    expect(verify([gateway('public', { app: 'istio-ingressgateway', istio: 'ingressgateway' }, [HTTP]),
      gateway('egress', { app: 'istio-egressgateway' }, [HTTP])])).toEqual([]);
    expect(verify([gateway('public', { app: 'istio-ingressgateway', istio: 'egressgateway' }, [HTTP])]).map(f => f.code)).toEqual(['gateway-selects-nothing']);
    expect(verify([gateway('public', { istio: 'ingressgateway', app: 'other' }, [HTTP])]).map(f => f.code)).toEqual(['gateway-selects-nothing']);
  });

  test('fails when the declared external gateway workloads replace the defaults, listing them', () => {
    const findings = verify([gateway('public', { istio: 'ingressgateway' }, [HTTP])], { externalGatewayWorkloads: ['istio=internal', 'app=edge,tier=ingress'] });
    expect(findings.map(f => f.message.split(', so')[0])).toEqual([
      'selector istio=ingressgateway matches the pods of no workload in the set and of no external gateway workload (istio=internal; app=edge,tier=ingress)',
    ]);
    const none = verify([gateway('public', { istio: 'ingressgateway' }, [HTTP])], { externalGatewayWorkloads: [] });
    expect(none.map(f => f.message.split(', so')[0])).toEqual([
      'selector istio=ingressgateway matches the pods of no workload in the set and of no external gateway workload (none declared)',
    ]);
  });

  test('passes on a declared external gateway workload whose labels hold the selector\'s', () => {
    const options = { externalGatewayWorkloads: ['istio=internal,tier=ingress'] };
    expect(verify([gateway('internal', { istio: 'internal' }, [HTTP]), gateway('both', { istio: 'internal', tier: 'ingress' }, [HTTP])], options)).toEqual([]);
  });

  test('passes on the pods Istio deploys for a Gateway API Gateway, labelled with its name and class', () => {
    const waypoint = kubernetesGateway('edge', 'edge', 'istio');
    expect(verify([waypoint, gateway('by-name', { 'gateway.networking.k8s.io/gateway-name': 'edge' }, [HTTP])])).toEqual([]);
    expect(verify([waypoint, gateway('by-class', { 'gateway.networking.k8s.io/gateway-class-name': 'istio' }, [HTTP])])).toEqual([]);
    const unclassed = kubernetesGateway('edge', 'edge');
    expect(verify([unclassed, gateway('by-class', { 'gateway.networking.k8s.io/gateway-class-name': 'istio' }, [HTTP])]).map(f => f.code))
      .toEqual(['gateway-selects-nothing']);
    expect(verify([waypoint, gateway('other', { 'gateway.networking.k8s.io/gateway-name': 'other' }, [HTTP])]).map(f => f.code))
      .toEqual(['gateway-selects-nothing']);
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'edge', namespace: 'edge' }, spec: {} };
    expect(verify([route, gateway('by-route', { 'gateway.networking.k8s.io/gateway-name': 'edge' }, [HTTP])]).map(f => f.code))
      .toEqual(['gateway-selects-nothing']);
  });

  test('passes on a Gateway without a selector, which takes every gateway of the mesh, even where none is known', () => {
    expect(verify([gateway('any', undefined, [HTTP])], { externalGatewayWorkloads: [] })).toEqual([]);
    expect(verify([gateway('any', {}, [HTTP]), deployment('web', 'shop', { app: 'web' })])).toEqual([]);
  });

  test('does not take a workload without a pod template, or an owned ReplicaSet, for gateway pods', () => {
    const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'edge', namespace: 'edge' }, spec: { workloadRef: { name: 'x' } } };
    expect(verify([rollout, gateway('edge', { app: 'edge' }, [HTTP])], { externalGatewayWorkloads: [] }).map(f => f.code)).toEqual(['gateway-selects-nothing']);
  });
});

describe('gateway-port-not-on-service', () => {
  test('fails when a server listens on a port that the Service in front of the gateway pods does not expose', () => {
    expect(verify(loadFixture('custom-gateway.yaml'))).toEqual([{
      code: 'gateway-port-not-on-service',
      severity: 'warning',
      object: 'Gateway/edge/edge',
      path: 'spec.servers[4].port.number',
      message: 'port 8004 is neither a port nor a target port of Service/edge/edge-gateway (80 to 8080, 443 to 8443, 15021), in front of the '
        + 'gateway pods of Deployment/edge/edge-gateway; the gateway listens on it, but no traffic through the Service reaches it; '
        + 'listen on a port the Service exposes, or add this one to the Service',
      istioCode: 'IST0162',
    }]);
  });

  test('passes on a Service port, a target port by number, and a target port by name, resolved in the workload\'s containers', () => {
    const [deploy, svc, gw] = loadFixture('custom-gateway.yaml');
    const exposed = { ...gw, spec: { ...gw.spec, servers: gw.spec.servers.slice(0, 4) } };
    expect(verify([deploy, svc, exposed])).toEqual([]);
  });

  test('fails when a named target port is no container port, so that only the Service port counts', () => {
    const [deploy, svc, gw] = loadFixture('custom-gateway.yaml');
    const unnamed = { ...deploy, spec: { ...deploy.spec, template: { ...deploy.spec.template, spec: { containers: [{ name: 'istio-proxy', ports: [{ name: 'http', containerPort: 8080 }] }] } } } };
    expect(verify([unnamed, svc, gw]).map(f => [f.path, f.message.split(', in front')[0]])).toEqual([
      ['spec.servers[2].port.number', 'port 8443 is neither a port nor a target port of Service/edge/edge-gateway (80 to 8080, 443, 15021)'],
      ['spec.servers[4].port.number', 'port 8004 is neither a port nor a target port of Service/edge/edge-gateway (80 to 8080, 443, 15021)'],
    ]);
  });

  test('reads the container ports of a bare Pod', () => {
    const gatewayPod = pod('edge-0', 'edge', { istio: 'edge' }, [{ name: 'https', containerPort: 8443 }]);
    const svc = service('edge', 'edge', { istio: 'edge' }, [{ port: 443, targetPort: 'https' }]);
    expect(verify([gatewayPod, svc, gateway('edge', { istio: 'edge' }, [server(8443, ['*'], 'HTTPS')], 'edge')])).toEqual([]);
  });

  test('fails when the only Service port with that number is UDP, as a gateway listens on TCP', () => {
    const gatewayPod = pod('dns-0', 'edge', { istio: 'dns' });
    const svc = service('dns', 'edge', { istio: 'dns' }, [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 5353, protocol: 'TCP' }]);
    const findings = verify([gatewayPod, svc, gateway('dns', { istio: 'dns' }, [server(53, ['*'], 'TCP'), server(5353, ['*'], 'TCP')], 'edge')]);
    expect(findings.map(f => [f.path, f.message.split(', in front')[0]])).toEqual([
      ['spec.servers[0].port.number', 'port 53 is neither a port nor a target port of Service/edge/dns (5353)'],
    ]);
  });

  test('fails when no Service in the set selects the gateway pods: one in another namespace, one of other pods, one without selector', () => {
    const objects = [
      deployment('edge-gateway', 'edge', { istio: 'edge' }),
      service('elsewhere', 'shop', { istio: 'edge' }, [{ port: 80 }]),
      service('other', 'edge', { istio: 'other' }, [{ port: 80 }]),
      service('manual', 'edge', undefined, [{ port: 80 }]),
      gateway('edge', { istio: 'edge' }, [HTTP], 'edge'),
    ];
    expect(verify(objects)).toEqual([{
      code: 'gateway-port-not-on-service',
      severity: 'warning',
      object: 'Gateway/edge/edge',
      path: 'spec.servers[0].port.number',
      message: 'port 80 is exposed by no Service, as no Service in the set selects the gateway pods of Deployment/edge/edge-gateway; '
        + 'the gateway listens on it, but no traffic through a Service reaches it; add a Service that selects the gateway pods and exposes this port',
      istioCode: 'IST0162',
    }]);
  });

  test('lists every Service in front of the gateway pods, and one with no TCP port as such', () => {
    const objects = [
      deployment('edge-gateway', 'edge', { istio: 'edge' }),
      service('web', 'edge', { istio: 'edge' }, [{ port: 80 }]),
      service('dns', 'edge', { istio: 'edge' }, [{ port: 53, protocol: 'UDP' }, { port: 'junk' }]),
      gateway('edge', { istio: 'edge' }, [server(8080, ['*'])], 'edge'),
    ];
    expect(verify(objects).map(f => f.message.split('; the gateway')[0])).toEqual([
      'port 8080 is neither a port nor a target port of Service/edge/web (80), Service/edge/dns (no tcp ports), in front of the gateway pods of Deployment/edge/edge-gateway',
    ]);
  });

  test('names each Service once, however many of the gateway\'s workloads it selects, and fails when the workloads\' namespace has no Service', () => {
    const objects = [deployment('edge-a', 'edge', { istio: 'edge', shard: 'a' }), deployment('edge-b', 'edge', { istio: 'edge', shard: 'b' })];
    const gw = gateway('edge', { istio: 'edge' }, [server(8080, ['*'])], 'edge');
    expect(verify([...objects, service('edge', 'edge', { istio: 'edge' }, [{ port: 80 }]), gw]).map(f => f.message.split('; the gateway')[0])).toEqual([
      'port 8080 is neither a port nor a target port of Service/edge/edge (80), in front of the gateway pods of Deployment/edge/edge-a, Deployment/edge/edge-b',
    ]);
    expect(verify([...objects, gw]).map(f => f.message.split('; the gateway')[0])).toEqual([
      'port 8080 is exposed by no Service, as no Service in the set selects the gateway pods of Deployment/edge/edge-a, Deployment/edge/edge-b',
    ]);
  });

  test('passes when the gateway pods run outside the set, where their Service is unknown, or belong to a Gateway API Gateway', () => {
    expect(verify([gateway('public', { istio: 'ingressgateway' }, [server(8004, ['*'])])])).toEqual([]);
    expect(verify([kubernetesGateway('edge', 'edge'), gateway('on-edge', { 'gateway.networking.k8s.io/gateway-name': 'edge' }, [server(8004, ['*'])])])).toEqual([]);
  });

  test('skips a server without a port number, which Istio rejects', () => {
    const objects = [deployment('edge-gateway', 'edge', { istio: 'edge' }), service('edge', 'edge', { istio: 'edge' }, [{ port: 80 }])];
    expect(verify([...objects, gateway('edge', { istio: 'edge' }, [server('80', ['*']), { hosts: ['*'] }], 'edge')])).toEqual([]);
  });
});

describe('gateway-conflict', () => {
  test('fails when two Gateways on the same pods serve one host on one port as TCP and HTTP, naming each other (Istio\'s own case)', () => {
    const message = (other: string) => `host foo.bar on port 80 is served by ${other} too, on gateway pods that both select; istiod keeps the server `
      + 'of the Gateway it meets first and drops the other\'s, so one of them never serves this host; serve the host from one Gateway, or give the servers different ports';
    expect(verify(loadFixture('conflicting-gateways.yaml'))).toEqual([
      { code: 'gateway-conflict', severity: 'error', object: 'Gateway/default/alpha', path: 'spec.servers[0].hosts[0]', message: message('Gateway/default/beta'), istioCode: 'IST0145' },
      { code: 'gateway-conflict', severity: 'error', object: 'Gateway/default/beta', path: 'spec.servers[0].hosts[0]', message: message('Gateway/default/alpha'), istioCode: 'IST0145' },
    ]);
  });

  const conflicts = (objects: Obj[], options?: VerifyOptions) => verify(objects, options).filter(f => f.code === 'gateway-conflict').map(f => `${f.object} ${f.path}`);

  test('passes on two plain HTTP servers for one host, which istiod merges, as Istio\'s samples side by side have them', () => {
    expect(conflicts([gateway('bookinfo', { istio: 'ingressgateway' }, [HTTP]), gateway('httpbin', { istio: 'ingressgateway' }, [HTTP])])).toEqual([]);
    const grpc = server(80, ['*'], 'GRPC');
    const http2 = server(80, ['*'], 'http2', { tls: { httpsRedirect: true } });
    expect(conflicts([gateway('a', { istio: 'ingressgateway' }, [grpc]), gateway('b', { istio: 'ingressgateway' }, [http2])])).toEqual([]);
  });

  test('fails when two HTTP servers both carry tls, as an httpsRedirect does, which istiod checks for duplicate hosts', () => {
    const redirect = server(80, ['shop.example.com'], 'HTTP', { tls: { httpsRedirect: true } });
    expect(conflicts([gateway('a', { istio: 'ingressgateway' }, [redirect]), gateway('b', { istio: 'ingressgateway' }, [redirect])]))
      .toEqual(['Gateway/istio-system/a spec.servers[0].hosts[0]', 'Gateway/istio-system/b spec.servers[0].hosts[0]']);
  });

  test('fails when two HTTPS servers serve one host, whatever their certificates, and when a TCP server shares a host with another', () => {
    const https = (credentialName: string) => server(443, ['shop.example.com'], 'HTTPS', { tls: { mode: 'SIMPLE', credentialName } });
    expect(conflicts([gateway('a', { istio: 'ingressgateway' }, [https('a-tls')]), gateway('b', { istio: 'ingressgateway' }, [https('b-tls')])]))
      .toEqual(['Gateway/istio-system/a spec.servers[0].hosts[0]', 'Gateway/istio-system/b spec.servers[0].hosts[0]']);
    const tcp = server(80, ['*'], 'TCP');
    expect(conflicts([gateway('a', { istio: 'ingressgateway' }, [tcp]), gateway('b', { istio: 'ingressgateway' }, [tcp])]))
      .toEqual(['Gateway/istio-system/a spec.servers[0].hosts[0]', 'Gateway/istio-system/b spec.servers[0].hosts[0]']);
  });

  test('compares hosts without their namespace, as SNI matches them', () => {
    const https = (hosts: string[]) => server(443, hosts, 'HTTPS', { tls: { mode: 'SIMPLE', credentialName: 'tls' } });
    expect(conflicts([gateway('a', { istio: 'ingressgateway' }, [https(['shop/shop.example.com'])]), gateway('b', { istio: 'ingressgateway' }, [https(['./shop.example.com', 'b.example.com'])])]))
      .toEqual(['Gateway/istio-system/a spec.servers[0].hosts[0]', 'Gateway/istio-system/b spec.servers[0].hosts[0]']);
  });

  test('passes on servers that differ in port, bind or host, a wildcard beside a host it covers, and two servers of one Gateway', () => {
    const tcp = (number: number, hosts: string[], bind?: string) => server(number, hosts, 'TCP', bind ? { bind } : {});
    const pairs: [Obj, Obj][] = [
      [tcp(80, ['a.example.com']), tcp(81, ['a.example.com'])],
      [tcp(80, ['a.example.com'], '10.0.0.1'), tcp(80, ['a.example.com'], '10.0.0.2')],
      [tcp(80, ['a.example.com']), tcp(80, ['b.example.com'])],
      [tcp(80, ['*.example.com']), tcp(80, ['a.example.com'])],
    ];
    for (const [a, b] of pairs) expect(conflicts([gateway('a', { istio: 'ingressgateway' }, [a]), gateway('b', { istio: 'ingressgateway' }, [b])])).toEqual([]);
    expect(conflicts([gateway('a', { istio: 'ingressgateway' }, [tcp(80, ['a.example.com']), tcp(80, ['a.example.com'])])])).toEqual([]);
  });

  test('fails when the selectors differ but some pods carry both (Istio\'s sub-selector case), and passes when no pods do', () => {
    const tcp = server(80, ['foo.bar'], 'TCP');
    const objects = [gateway('beta', { istio: 'ingressgateway', app: 'istio-ingressgateway', cusKey: 'cusValue' }, [tcp]), gateway('alpha', { istio: 'ingressgateway', cusKey: 'cusValue' }, [tcp])];
    expect(conflicts([...objects, pod('my-ingressgateway-1', 'istio-system', { istio: 'ingressgateway', app: 'istio-ingressgateway', cusKey: 'cusValue' })]))
      .toEqual(['Gateway/istio-system/alpha spec.servers[0].hosts[0]', 'Gateway/istio-system/beta spec.servers[0].hosts[0]']);
    expect(conflicts([...objects, pod('my-ingressgateway-1', 'istio-system', { istio: 'ingressgateway', cusKey: 'cusValue' })])).toEqual([]);
    expect(conflicts([gateway('a', { istio: 'ingressgateway' }, [tcp]), gateway('b', { istio: 'egressgateway' }, [tcp])])).toEqual([]);
  });

  test('fails when equal selectors match no known pods, which would still be the same pods', () => {
    const tcp = server(80, ['foo.bar'], 'TCP');
    expect(conflicts([gateway('a', { istio: 'edge' }, [tcp]), gateway('b', { istio: 'edge' }, [tcp])], { externalGatewayWorkloads: [] }))
      .toEqual(['Gateway/istio-system/a spec.servers[0].hosts[0]', 'Gateway/istio-system/b spec.servers[0].hosts[0]']);
    expect(conflicts([gateway('a', { istio: 'edge' }, [tcp]), gateway('b', { istio: 'edge', app: 'x' }, [tcp])], { externalGatewayWorkloads: [] })).toEqual([]);
  });

  test('fails when a Gateway without a selector serves a host of a Gateway on Istio\'s ingress gateway, as it takes those pods too', () => {
    const tcp = server(80, ['foo.bar'], 'TCP');
    expect(conflicts([gateway('any', {}, [tcp]), gateway('public', { istio: 'ingressgateway' }, [tcp])]))
      .toEqual(['Gateway/istio-system/any spec.servers[0].hosts[0]', 'Gateway/istio-system/public spec.servers[0].hosts[0]']);
  });

  test('names every rival Gateway once, in order', () => {
    const tcp = server(80, ['foo.bar', 'foo.bar'], 'TCP');
    const findings = verify([gateway('c', { istio: 'ingressgateway' }, [tcp]), gateway('b', { istio: 'ingressgateway' }, [tcp]), gateway('a', { istio: 'ingressgateway' }, [tcp])]);
    expect(findings.filter(f => f.object === 'Gateway/istio-system/a').map(f => `${f.path} ${f.message.split(' too')[0]}`)).toEqual([
      'spec.servers[0].hosts[0] host foo.bar on port 80 is served by Gateway/istio-system/b, Gateway/istio-system/c',
      'spec.servers[0].hosts[1] host foo.bar on port 80 is served by Gateway/istio-system/b, Gateway/istio-system/c',
    ]);
  });

  test('fails when a server declares no protocol, which istiod does not merge with an HTTP server', () => {
    const bare = { port: { number: 80 }, hosts: ['foo.bar'] };
    expect(conflicts([gateway('a', { istio: 'ingressgateway' }, [bare]), gateway('b', { istio: 'ingressgateway' }, [server(80, ['foo.bar'])])]))
      .toEqual(['Gateway/istio-system/a spec.servers[0].hosts[0]', 'Gateway/istio-system/b spec.servers[0].hosts[0]']);
  });

  test('skips hosts that are no strings and servers without a port number', () => {
    const odd = [server(80, [5, null], 'TCP'), { hosts: ['foo.bar'] }];
    expect(conflicts([gateway('a', { istio: 'ingressgateway' }, odd), gateway('b', { istio: 'ingressgateway' }, odd)])).toEqual([]);
  });
});

describe('externalGatewayWorkloads', () => {
  test.each([
    ['the externalGatewayWorkloads are no list', 'istio=ingressgateway', 'options.externalGatewayWorkloads must be a list of label sets, got "istio=ingressgateway"; e.g. ["istio=ingressgateway"]'],
    ['an external gateway workload is no string', [5], 'options.externalGatewayWorkloads[0] must be pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, got 5; e.g. "istio=ingressgateway"'],
    ['an external gateway workload has no "="', ['istio=a', 'istio'], 'options.externalGatewayWorkloads[1] must be pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, got "istio"; e.g. "istio=ingressgateway"'],
    ['an external gateway workload is empty', [''], 'options.externalGatewayWorkloads[0] must be pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, got ""; e.g. "istio=ingressgateway"'],
    ['an external gateway workload ends in a comma', ['istio=a,'], 'options.externalGatewayWorkloads[0] must be pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, got "istio=a,"; e.g. "istio=ingressgateway"'],
    ['an external gateway workload has a key that is no label key', ['-istio=a'], 'options.externalGatewayWorkloads[0] must be pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, got "-istio=a"; e.g. "istio=ingressgateway"'],
    ['an external gateway workload has no key', ['=a'], 'options.externalGatewayWorkloads[0] must be pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, got "=a"; e.g. "istio=ingressgateway"'],
    ['an external gateway workload has a value that is no label value', ['istio=a b'], 'options.externalGatewayWorkloads[0] must be pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, got "istio=a b"; e.g. "istio=ingressgateway"'],
    ['an external gateway workload has a value with "="', ['istio=a=b'], 'options.externalGatewayWorkloads[0] must be pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, got "istio=a=b"; e.g. "istio=ingressgateway"'],
    ['an external gateway workload names a key twice', ['istio=a,istio=b'], 'options.externalGatewayWorkloads[0] must be pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, got "istio=a,istio=b"; e.g. "istio=ingressgateway"'],
  ])('fails when %s', (_, externalGatewayWorkloads, message) => {
    expect(() => Verify.manifests([], { externalGatewayWorkloads } as unknown as VerifyOptions)).toThrow(new Error(`Verify.manifests: ${message}`));
  });

  test('takes pods declared with their namespace, and names each declaration as written when none is selected', () => {
    const options = { externalGatewayWorkloads: ['istio-ingress:istio=internal', 'app=edge'] };
    expect(Verify.manifests([gateway('edge', { istio: 'internal' }, [HTTP])], options).filter(f => f.code === 'gateway-selects-nothing')).toEqual([]);
    const [none] = Verify.manifests([gateway('edge', { istio: 'other' }, [HTTP])], options).filter(f => f.code === 'gateway-selects-nothing');
    expect(none.message).toContain('(istio-ingress:istio=internal; app=edge)');
  });

  test.each([
    ['names a namespace that is none', ['Istio:istio=a'], '"Istio:istio=a"'],
    ['names an empty namespace', [':istio=a'], '":istio=a"'],
    ['has a namespace and no labels', ['edge:'], '"edge:"'],
  ])('fails when an external gateway workload %s', (_, externalGatewayWorkloads, shown) => {
    expect(() => Verify.manifests([], { externalGatewayWorkloads })).toThrow(new Error('Verify.manifests: options.externalGatewayWorkloads[0] must be pod labels '
      + `as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, got ${shown}; e.g. "istio=ingressgateway"`));
  });

  test('takes label keys with a prefix, and empty values', () => {
    const options = { externalGatewayWorkloads: ['example.com/gateway=edge,tier='] };
    const objects = [gateway('edge', { 'example.com/gateway': 'edge', 'tier': '' }, [HTTP])];
    expect(Verify.manifests(objects, options).filter(f => f.code === 'gateway-selects-nothing')).toEqual([]);
  });

  test('skips malformed entries where the arguments are not checked, as the route check and the CLI pass them', () => {
    const objects = [gateway('edge', { istio: 'edge' }, [HTTP])];
    const codes = (externalGatewayWorkloads: unknown) => manifestFindings(objects, { externalGatewayWorkloads } as VerifyOptions).map(f => f.code);
    expect(codes([5, 'istio', 'istio=edge'])).toEqual([]);
    expect(codes('istio=edge')).toEqual(['gateway-selects-nothing']);
  });
});

describe('--external-gateway-workload', () => {
  const file = join(FIXTURES, 'conflicting-gateways.yaml');

  test('replaces Istio\'s default gateways on the command line', () => {
    expect(run('verify', '--format', 'json', file).stdout).not.toContain('gateway-selects-nothing');
    const replaced = run('verify', '--format', 'json', '--external-gateway-workload', 'istio=internal', '--external-gateway-workload', 'app=edge,tier=ingress', file);
    expect(replaced.code).toBe(1);
    expect(JSON.parse(replaced.stdout).findings.filter((f: Finding) => f.code === 'gateway-selects-nothing').map((f: Finding) => f.message.split(', so')[0])).toEqual([
      'selector istio=ingressgateway matches the pods of no workload in the set and of no external gateway workload (istio=internal; app=edge,tier=ingress)',
      'selector istio=ingressgateway matches the pods of no workload in the set and of no external gateway workload (istio=internal; app=edge,tier=ingress)',
    ]);
  });

  test('is in the usage', () => {
    expect(run('verify', '--help').stdout).toContain('  --external-gateway-workload <key=value,...>\n');
  });

  test.each(['istio', 'istio=a,istio=b', 'Istio/x=a', 'Istio:x=a'])('fails when the labels are malformed (%s), with the usage on stderr', labels => {
    const { code, stderr } = run('verify', '--external-gateway-workload', labels, file);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(`error: --external-gateway-workload takes pod labels as [namespace:]key=value[,key=value], each key once, not ${labels}`);
    expect(stderr).toContain('usage: cdk8s-istio-release verify');
  });
});

describe('RouteCheck.addExternalGatewayWorkload', () => {
  function handMadeGateway(selector: Obj): Chart {
    const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
    new ApiObject(chart, 'Gateway', { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'edge' }, spec: { selector, servers: [HTTP] } });
    RouteCheck.of(chart);
    return chart;
  }

  test('fails when a chart\'s Gateway selects pods that are neither in the chart nor declared, and passes once they are', () => {
    const chart = handMadeGateway({ istio: 'internal' });
    expect(() => Testing.synth(chart)).toThrow('error gateway-selects-nothing: Gateway/shop/edge (test/Gateway) spec.selector: selector istio=internal');
    RouteCheck.of(chart).addExternalGatewayWorkload('istio=internal');
    expect(() => Testing.synth(chart)).not.toThrow();
  });

  test('takes gateway pods declared with their namespace', () => {
    const chart = handMadeGateway({ istio: 'internal' });
    RouteCheck.of(chart).addExternalGatewayWorkload('istio-ingress:istio=internal');
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(() => RouteCheck.of(chart).addExternalGatewayWorkload('Ingress:istio=internal')).toThrow(new Error(
      'RouteCheck.addExternalGatewayWorkload: labels must be pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, '
      + 'got "Ingress:istio=internal"; e.g. "istio=internal-gateway"'));
  });

  test('keeps Istio\'s default gateways beside the declared ones', () => {
    const chart = handMadeGateway({ istio: 'ingressgateway' });
    RouteCheck.of(chart).addExternalGatewayWorkload('istio=internal');
    expect(RouteCheck.of(chart).findings()).toEqual([]);
  });

  test.each([
    ['labels have no "="', 'istio', '"istio"'],
    ['labels name a key twice', 'a=1,a=2', '"a=1,a=2"'],
    ['labels are no string', 7, '7'],
  ])('fails when the %s', (_, labels, shown) => {
    expect(() => RouteCheck.of(handMadeGateway({})).addExternalGatewayWorkload(labels as string)).toThrow(new Error(
      'RouteCheck.addExternalGatewayWorkload: labels must be pod labels as "[namespace:]key=value[,key=value]", each key once, with Kubernetes label keys and values, '
      + `got ${shown}; e.g. "istio=internal-gateway"`));
  });

  test('an IstioGateway declares its selector\'s pods, which Istio installs outside the chart', () => {
    const chart = new Chart(Testing.app(), 'edge', { namespace: 'istio-system' });
    new IstioGateway(chart, 'Internal', { hosts: ['*.internal.example.com'], selector: { istio: 'internal', tier: 'edge' } });
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(RouteCheck.of(chart).findings()).toEqual([]);
  });
});
