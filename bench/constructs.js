'use strict';
/** The benchmark's apps built with this library's constructs, as a user would write them. */
const { Chart, Duration } = require('cdk8s');
const kplus = require('cdk8s-plus-27');
const { BlueGreenApp, CanaryApp, Color, DisruptionBudget, IstioGateway, RouteCheck } = require('../lib/src');

function props(spec, gateway) {
  const version = v => ({ image: v.image, version: v.version });
  const common = {
    name: spec.name,
    namespace: spec.namespace,
    port: spec.port,
    replicas: spec.replicas,
    gateway,
    hosts: spec.hosts,
    disruptionBudget: spec.disruptionBudget === undefined ? undefined : DisruptionBudget.minAvailable(spec.disruptionBudget),
    autoscaling: spec.maxReplicas === undefined ? undefined : { maxReplicas: spec.maxReplicas },
  };
  if (spec.kind === 'blue-green') {
    const [blue, green] = spec.versions;
    const colour = c => (c === 'green' ? Color.GREEN : Color.BLUE);
    return {
      ...common, blue: version(blue), green: version(green), active: colour(spec.active),
      scaledDown: spec.scaledDown && colour(spec.scaledDown),
    };
  }
  const [stable, canary] = spec.versions;
  return { ...common, stable: version(stable), canary: canary && version(canary), canaryWeight: spec.canaryWeight };
}

/**
 * Every pod setting a production service has (manifests.js writes the same by hand): the app's own
 * ServiceAccount, a ConfigMap file, a Secret as env, an init container, a log-shipping sidecar,
 * annotations, node selection, a toleration, a zone spread, a pull secret and a longer shutdown.
 */
function podProps(chart, spec) {
  const id = suffix => `${spec.name}-${suffix}`;
  const config = kplus.Volume.fromConfigMap(chart, id('config'), kplus.ConfigMap.fromConfigMapName(chart, id('config-map'), id('config')), { name: 'config' });
  const logs = kplus.Volume.fromEmptyDir(chart, id('logs'), 'logs');
  return {
    createServiceAccount: true,
    volumes: [config, logs],
    volumeMounts: [{ volume: config, path: '/etc/app', readOnly: true }, { volume: logs, path: '/var/log/app' }],
    envFrom: [kplus.Env.fromSecret(kplus.Secret.fromSecretName(chart, id('db'), id('db')))],
    initContainers: [{ name: 'wait-for-db', image: 'busybox:1.36', command: ['sh', '-c', 'until nc -z db 5432; do sleep 2; done'] }],
    sidecars: [{ name: 'log-shipper', image: 'fluent/fluent-bit:3.1', volumeMounts: [{ volume: logs, path: '/var/log/app', readOnly: true }] }],
    podAnnotations: { 'sidecar.istio.io/proxyCPU': '100m' },
    nodeSelector: { 'kubernetes.io/arch': 'amd64' },
    tolerations: [kplus.Node.tainted(kplus.NodeTaintQuery.is('dedicated', spec.namespace, { effect: kplus.TaintEffect.NO_SCHEDULE }))],
    topologySpread: [{ topology: kplus.Topology.ZONE }],
    imagePullSecrets: [kplus.Secret.fromSecretName(chart, id('registry'), 'registry-credentials')],
    shutdownDelay: Duration.seconds(10),
    terminationGracePeriod: Duration.seconds(45),
  };
}

/**
 * `routeCheck: false` turns off each chart's synth-time route check, to measure its share; `pods:
 * true` gives every app every pod setting.
 */
function build(app, charts, { routeCheck = true, pods = false } = {}) {
  for (const c of charts) {
    const chart = new Chart(app, c.id, { namespace: c.namespace });
    for (const spec of c.apps) {
      const g = spec.gateway;
      const gateway = g.ref ? IstioGateway.fromName(g.ref) : new IstioGateway(chart, `${spec.name}-gateway`, g);
      const App = spec.kind === 'blue-green' ? BlueGreenApp : CanaryApp;
      new App(chart, spec.name, { ...props(spec, gateway), ...pods ? podProps(chart, spec) : {} });
    }
    if (!routeCheck) RouteCheck.of(chart).disable();
  }
}

module.exports = { build };
