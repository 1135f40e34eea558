'use strict';
/** The benchmark's apps built with this library's constructs, as a user would write them. */
const { Chart } = require('cdk8s');
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

/** `routeCheck: false` turns off each chart's synth-time route check, to measure its share. */
function build(app, charts, { routeCheck = true } = {}) {
  for (const c of charts) {
    const chart = new Chart(app, c.id, { namespace: c.namespace });
    for (const spec of c.apps) {
      const g = spec.gateway;
      const gateway = g.ref ? IstioGateway.fromName(g.ref) : new IstioGateway(chart, `${spec.name}-gateway`, g);
      const App = spec.kind === 'blue-green' ? BlueGreenApp : CanaryApp;
      new App(chart, spec.name, props(spec, gateway));
    }
    if (!routeCheck) RouteCheck.of(chart).disable();
  }
}

module.exports = { build };
