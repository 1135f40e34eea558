import { ApiObject, Chart, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BlueGreenApp, BlueGreenAppProps, Color, IstioApiVersion, IstioGateway, Protocol } from '../src';
import {
  deploymentsBehindSubset, deploymentsSelectedBy, find, kinds, Manifest, newChart, synth, weights,
} from './support/manifests';
import { expectValidManifests } from './support/schemas';

const blue = { image: 'nginx:1.10', version: '1.10' };
const green = { image: 'nginx:1.11', version: '1.11' };

function web(chart: Chart, props: Partial<BlueGreenAppProps> = {}): BlueGreenApp {
  return new BlueGreenApp(chart, 'Web', { blue, green, ...props });
}

function synthWeb(props: Partial<BlueGreenAppProps> = {}, withGateway = true): Manifest[] {
  return synth(chart => web(chart, {
    gateway: withGateway ? new IstioGateway(chart, 'Gateway', { hosts: ['shop.example.com'] }) : undefined,
    ...props,
  }));
}

describe('BlueGreenApp', () => {
  const props = { name: 'web', port: 80, containerPort: 8080, replicas: 2, active: Color.GREEN };
  const objects = synthWeb(props);

  test('emits the release in make-before-break order, and every object passes its schema', () => {
    expect(kinds(objects)).toEqual(['Gateway', 'Deployment', 'Deployment', 'Service', 'DestinationRule', 'VirtualService']);
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('labels each colour\'s pods with app and version, and selects exactly those', () => {
    for (const [name, version] of [['web-blue', '1.10'], ['web-green', '1.11']]) {
      const deployment = find(objects, 'Deployment', name);
      expect(deployment.spec.template.metadata.labels).toEqual({ app: 'web', version });
      expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'web', version } });
      expect(deployment.spec.replicas).toBe(2);
      expect(deployment.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 8080 }]);
    }
  });

  test('the Service spans both colours on a port named for Istio', () => {
    const service = find(objects, 'Service', 'web');
    expect(service.spec.selector).toEqual({ app: 'web' });
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 8080 }]);
    expect(deploymentsSelectedBy(objects, service.spec.selector)).toEqual(['web-blue', 'web-green']);
  });

  test('each subset selects its colour\'s version and reaches exactly that Deployment', () => {
    const rule = find(objects, 'DestinationRule', 'web');
    expect(rule.spec.host).toBe('web.shop.svc.cluster.local');
    expect(rule.spec.subsets).toEqual([
      { name: 'blue', labels: { version: '1.10' } },
      { name: 'green', labels: { version: '1.11' } },
    ]);
    expect(deploymentsBehindSubset(objects, 'web', 'blue')).toEqual(['web-blue']);
    expect(deploymentsBehindSubset(objects, 'web', 'green')).toEqual(['web-green']);
  });

  test('routes 100% to the active colour through the gateway and the mesh', () => {
    const vs = find(objects, 'VirtualService', 'web');
    expect(vs.apiVersion).toBe('networking.istio.io/v1');
    expect(weights(vs)).toEqual({ blue: 0, green: 100 });
    expect(vs.spec.gateways).toEqual(['shop/gateway', 'mesh']);
    expect(vs.spec.hosts).toEqual(['shop.example.com', 'web.shop.svc.cluster.local']);
    expect(vs.spec.http[0].route.map((r: Manifest) => r.destination.host))
      .toEqual(['web.shop.svc.cluster.local', 'web.shop.svc.cluster.local']);
  });

  test('a cutover changes the weights and nothing else', () => {
    const before = synthWeb({ active: Color.BLUE });
    const after = synthWeb({ active: Color.GREEN });
    expect(weights(find(before, 'VirtualService', 'web'))).toEqual({ blue: 100, green: 0 });
    const withoutWeights = (objs: Manifest[]) => JSON.stringify(objs).replace(/"weight":\d+/g, '');
    expect(withoutWeights(after)).toEqual(withoutWeights(before));
    expect(JSON.stringify(after)).not.toEqual(JSON.stringify(before));
  });

  test('defaults: name from the id, port 80, container port = port, 2 replicas, blue active', () => {
    const chart = newChart();
    const app = web(chart);
    expect([app.name, app.namespace, app.port, app.containerPort, app.replicas, app.active, app.protocol])
      .toEqual(['web', 'shop', 80, 80, 2, Color.BLUE, Protocol.HTTP]);
    expect(app.hosts).toEqual([]);
    const vs = find(synth(c => web(c)), 'VirtualService', 'web');
    expect(weights(vs)).toEqual({ blue: 100, green: 0 });
    expect(vs.spec.gateways).toBeUndefined();
    expect(vs.spec.hosts).toEqual(['web.shop.svc.cluster.local']);
  });

  test('a version may override the app\'s replicas', () => {
    const objs = synth(c => web(c, { replicas: 3, blue: { ...blue, replicas: 1 } }));
    expect(find(objs, 'Deployment', 'web-blue').spec.replicas).toBe(1);
    expect(find(objs, 'Deployment', 'web-green').spec.replicas).toBe(3);
  });

  test('an idle colour may be scaled to 0', () => {
    const objs = synth(c => web(c, { active: Color.GREEN, blue: { ...blue, replicas: 0 } }));
    expect(find(objs, 'Deployment', 'web-blue').spec.replicas).toBe(0);
    expectValidManifests(objs);
  });

  test('without a namespace, hosts are short names that Istio resolves in the rule\'s own namespace', () => {
    const objs = synth(c => web(c), {});
    expect(find(objs, 'DestinationRule', 'web').spec.host).toBe('web');
    expect(find(objs, 'VirtualService', 'web').spec.hosts).toEqual(['web']);
    expect(find(objs, 'Service', 'web').metadata.namespace).toBeUndefined();
  });

  test('the namespace prop wins over the chart\'s', () => {
    const objs = synth(c => web(c, { namespace: 'web-prod' }));
    expect(objs.map(o => o.metadata.namespace)).toEqual(['web-prod', 'web-prod', 'web-prod', 'web-prod', 'web-prod']);
    expect(find(objs, 'DestinationRule', 'web').spec.host).toBe('web.web-prod.svc.cluster.local');
  });

  test('names the port after the protocol, for Istio protocol selection', () => {
    const objs = synth(c => web(c, { protocol: Protocol.GRPC, port: 9090 }));
    expect(find(objs, 'Service', 'web').spec.ports[0]).toEqual({ name: 'grpc', port: 9090, targetPort: 9090 });
  });

  test('emits networking.istio.io/v1beta1 for older meshes', () => {
    const objs = synthWeb({ istioApiVersion: IstioApiVersion.V1BETA1 });
    expect(objs.filter(o => o.apiVersion.startsWith('networking.istio.io')).map(o => o.apiVersion))
      .toEqual(['networking.istio.io/v1', 'networking.istio.io/v1beta1', 'networking.istio.io/v1beta1']);
    expectValidManifests(objs);
  });

  test('keeps cdk8s-plus\'s secure defaults, and drops its construct-address pod label', () => {
    const pod = find(objects, 'Deployment', 'web-blue').spec.template;
    expect(pod.spec.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(pod.spec.containers[0].resources.requests).toBeDefined();
    expect(Object.keys(pod.metadata.labels)).not.toContain('cdk8s.io/metadata.addr');
  });

  test('passes container settings through: env, args, command, resources, probes, security context', () => {
    const objs = synth(c => web(c, {
      green: {
        ...green,
        env: { MODE: kplus.EnvValue.fromValue('green') },
        args: ['-g', 'daemon off;'],
        command: ['nginx'],
        resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(200) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) } },
        readiness: kplus.Probe.fromHttpGet('/ready'),
        liveness: kplus.Probe.fromHttpGet('/live'),
        startup: kplus.Probe.fromTcpSocket(),
        securityContext: { ensureNonRoot: false },
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      },
    }));
    const container = find(objs, 'Deployment', 'web-green').spec.template.spec.containers[0];
    expect(container).toMatchObject({
      image: 'nginx:1.11',
      env: [{ name: 'MODE', value: 'green' }],
      args: ['-g', 'daemon off;'],
      command: ['nginx'],
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      readinessProbe: { httpGet: { path: '/ready', port: 80 } },
      livenessProbe: { httpGet: { path: '/live', port: 80 } },
      startupProbe: { tcpSocket: { port: 80 } },
      securityContext: { runAsNonRoot: false },
      imagePullPolicy: 'IfNotPresent',
    });
    expect(find(objs, 'Deployment', 'web-blue').spec.template.spec.containers[0].env).toBeUndefined();
    expectValidManifests(objs);
  });

  test('exposes every emitted object as an ApiObject escape hatch', () => {
    const chart = newChart();
    const app = web(chart);
    expect(ApiObject.of(app.node.findChild('VirtualService'))).toBe(app.virtualService);
    app.virtualService!.addJsonPatch(JsonPatch.add('/spec/exportTo', ['.']));
    app.greenDeployment.metadata.addAnnotation('team', 'web');
    const objs = Chart.of(app).toJson();
    expect(find(objs, 'VirtualService', 'web').spec.exportTo).toEqual(['.']);
    expect(find(objs, 'Deployment', 'web-green').metadata.annotations).toEqual({ team: 'web' });
    expect([app.blueDeployment, app.service!, app.destinationRule!].map(o => o.name)).toEqual(['web-blue', 'web', 'web']);
  });

  test('same input, byte-identical output', () => {
    expect(JSON.stringify(synthWeb(props))).toEqual(JSON.stringify(objects));
  });
});

describe('BlueGreenApp bad input', () => {
  const build = (props: Partial<BlueGreenAppProps>) => () => web(newChart(), props);

  test.each([
    ['the name is not a DNS-1035 label', { name: 'Web_App' }, 'name', '"Web_App"'],
    ['the name starts with a digit', { name: '1web' }, 'name', '"1web"'],
    ['the namespace is not a DNS-1123 label', { namespace: 'Shop' }, 'namespace', '"Shop"'],
    ['the port is 0', { port: 0 }, 'port', '0'],
    ['the port is above 65535', { port: 65536 }, 'port', '65536'],
    ['the container port is not an integer', { containerPort: 80.5 }, 'containerPort', '80.5'],
    ['replicas is negative', { replicas: -1 }, 'replicas', '-1'],
    ['a version\'s replicas is negative', { green: { ...green, replicas: -1 } }, 'green.replicas', '-1'],
    ['an image is empty', { blue: { ...blue, image: '' } }, 'blue.image', '""'],
    ['an image has spaces', { blue: { ...blue, image: 'nginx 1.10' } }, 'blue.image', '"nginx 1.10"'],
    ['a version is not a label value', { green: { ...green, version: '1.11 ' } }, 'green.version', '"1.11 "'],
    ['a version is empty', { green: { ...green, version: '' } }, 'green.version', '""'],
    ['blue and green have the same version', { green: { ...green, version: '1.10' } }, 'green.version', '"1.10"'],
    ['the active colour has no replicas', { active: Color.GREEN, green: { ...green, replicas: 0 } }, 'green.replicas', '0'],
    ['hosts are given without a gateway', { hosts: ['shop.example.com'] }, 'hosts', '["shop.example.com"]'],
    ['an env variable name starts with a digit', { blue: { ...blue, env: { '1MODE': kplus.EnvValue.fromValue('x') } } }, 'blue.env', '"1MODE"'],
    ['an env variable name has a space', { green: { ...green, env: { 'LOG LEVEL': kplus.EnvValue.fromValue('x') } } }, 'green.env', '"LOG LEVEL"'],
  ])('fails when %s', (_, props, field, value) => {
    expect(build(props)).toThrow(`test/Web: ${field} `);
    expect(build(props)).toThrow(`got ${value}; `);
  });

  test('fails when a host is not served by the gateway, naming the gateway', () => {
    const chart = newChart();
    const gateway = new IstioGateway(chart, 'Gateway', { hosts: ['*.example.com'] });
    expect(() => web(chart, { gateway, hosts: ['shop.example.org'] }))
      .toThrow('test/Web: hosts must be served by gateway shop/gateway (hosts ["*.example.com"]), got "shop.example.org"');
  });

  test('fails when a host is "*", which Istio rejects on a mesh-bound VirtualService', () => {
    const gatewayServing = (chart: Chart) => new IstioGateway(chart, 'Gateway', { hosts: ['*'] });
    const chart = newChart();
    expect(() => web(chart, { gateway: gatewayServing(chart) })).toThrow('test/Web: hosts may not hold "*"');
    const other = newChart();
    expect(() => web(other, { gateway: gatewayServing(other), hosts: ['shop.example.com'] })).not.toThrow();
  });

  test('fails when hosts overlap, which Istio rejects', () => {
    const chart = newChart();
    const gateway = new IstioGateway(chart, 'Gateway', { hosts: ['*.example.com'] });
    expect(() => web(chart, { gateway, hosts: ['*.example.com', 'shop.example.com'] }))
      .toThrow('test/Web: hosts overlap: "*.example.com" already covers "shop.example.com"');
  });

  test('fails when a host has no dot, which Istio would take as a Service of the namespace', () => {
    const chart = newChart();
    const gateway = new IstioGateway(chart, 'Gateway', { hosts: ['*'] });
    expect(() => web(chart, { gateway, hosts: ['web'] }))
      .toThrow('test/Web: hosts may not hold a name without a dot, which Istio takes as the Service web.shop.svc.cluster.local, got "web"; name the external host in full, e.g. "web.example.com"');
  });

  test('fails when a host is not a DNS-1123 name', () => {
    const chart = newChart();
    const gateway = IstioGateway.fromName('istio-system/public-gateway');
    expect(() => web(chart, { gateway, hosts: ['Shop.Example.com'] })).toThrow('test/Web: hosts must hold DNS-1123 hosts');
  });

  test('binds the Service host alone to a reference gateway when no hosts are given', () => {
    const objects = synth(chart => web(chart, { gateway: IstioGateway.fromName('istio-system/public-gateway') }));
    const vs = find(objects, 'VirtualService', 'web');
    expect(vs.spec.hosts).toEqual(['web.shop.svc.cluster.local']);
    expect(vs.spec.gateways).toEqual(['istio-system/public-gateway', 'mesh']);
    expectValidManifests(objects);
  });

  test('fails when the plan a controller would run is wrong, though Git carries out the release', () => {
    expect(() => web(newChart(), { plan: { analysis: { minSuccessRate: -1 } } }))
      .toThrow('test/Web: plan.analysis.minSuccessRate must be a percentage from 0 to 100, got -1; use e.g. 99');
  });

  test('fails when the default name, from the id, is not valid, and says to pass a name', () => {
    expect(() => new BlueGreenApp(newChart(), 'Web_App', { blue, green })).toThrow('test/Web_App: name must be a DNS-1035 label');
  });
});
