'use strict';
/**
 * The one description of the benchmark's apps, as plain data. Both builders read it: the
 * constructs (constructs.js) and the hand-written manifests of the baseline (manifests.js).
 * Deterministic: app i is the same in every run and every variant.
 */

const SHARED_GATEWAY = 'istio-system/public-gateway';

/** A realistic mix: 40% blue/green, 60% canary; a quarter with their own Gateway, the rest on a shared one. */
function appSpec(i) {
  const name = `app-${String(i).padStart(4, '0')}`;
  const namespace = `team-${i % 20}`;
  const host = `${name}.example.com`;
  const minor = i % 7;
  const image = tag => `registry.example.com/${name}:${tag}`;
  const spec = {
    name,
    namespace,
    port: [80, 8080, 9080][i % 3],
    replicas: 2 + (i % 2),
    hosts: [host],
    // A Gateway of the app's own (emitted in its chart, before it), or a reference to a shared one.
    gateway: i % 4 === 0 ? { name: `${name}-gateway`, namespace, hosts: [host] } : { ref: SHARED_GATEWAY },
    disruptionBudget: i % 3 === 0 ? 1 : undefined, // minAvailable
    maxReplicas: i % 5 === 0 ? 6 : undefined, // autoscaling on CPU at 80%
  };
  if (i % 5 < 2) {
    // Blue/green, objects named after colours; every third one has its idle colour scaled down.
    const active = i % 2 ? 'green' : 'blue';
    const scaledDown = i % 3 === 1 ? (active === 'blue' ? 'green' : 'blue') : undefined;
    const version = (colour, tag) => ({
      subset: colour, version: tag, image: image(tag), replicas: colour === scaledDown ? 0 : spec.replicas,
      weight: colour === active ? 100 : 0,
    });
    return { ...spec, kind: 'blue-green', active, scaledDown, versions: [version('blue', `1.${minor}`), version('green', `1.${minor + 1}`)] };
  }
  // Canary, objects named after versions; every tenth one is in the steady state, without a canary.
  const weight = [0, 10, 25, 50][i % 4];
  const version = (tag, w) => ({ subset: tag, version: tag, image: image(tag), replicas: spec.replicas, weight: w });
  const versions = i % 10 === 9
    ? [version(`v${minor}`, 100)]
    : [version(`v${minor}`, 100 - weight), version(`v${minor + 1}`, weight)];
  return { ...spec, kind: 'canary', canaryWeight: versions.length > 1 ? weight : undefined, versions };
}

/**
 * The charts of a layout: 'one' puts every app in one chart; 'per-team' gives each namespace
 * (team) a chart, 20 at most; 'per-app' gives each app its own chart. Charts are named after what
 * they hold, and the per-team and per-app ones are in the apps' namespace.
 */
function charts(layout, n) {
  const apps = Array.from({ length: n }, (_, i) => appSpec(i));
  if (layout === 'one') return [{ id: 'apps', apps }];
  if (layout === 'per-team') {
    const teams = [...new Set(apps.map(app => app.namespace))];
    return teams.map(team => ({ id: team, namespace: team, apps: apps.filter(app => app.namespace === team) }));
  }
  if (layout === 'per-app') return apps.map(app => ({ id: app.name, namespace: app.namespace, apps: [app] }));
  throw new Error(`unknown layout ${layout}; use one, per-team or per-app`);
}

module.exports = { appSpec, charts };
