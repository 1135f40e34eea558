import { Testing } from 'cdk8s';
import { ArgoBlueGreen } from '../examples/argo-blue-green';
import { ArgoHeaderRoutedCanary, ArgoProgressiveCanary } from '../examples/argo-progressive-canary';
import { ArgoWeatherCanary } from '../examples/argo-weather-canary';
import { RealServiceArgo } from '../examples/real-service-argo';
import { diagramMermaid, diagramTable } from '../src/diagram';
import { tableRows } from './support/tables';

/** Argo Rollouts in the pictures: the roles on the routes it manages, the new version's image on the canary alone, and the steps. */
type Obj = { [key: string]: any };

const objectsOf = (Example: new (app: any) => any) => Testing.synth(new Example(Testing.app()));
/** Route, version, weight, workload, replicas and image of each row. */
const rows = (table: string) => tableRows(table).map(r => [r[0], r[4], r[5], r[6], r[7], r[8]]);

test('a canary by Services (argo-weather-canary): stable runs the revision before, the canary the template\'s image', () => {
  const objects = objectsOf(ArgoWeatherCanary);
  expect(rows(diagramTable(objects))).toEqual([
    ['primary', 'stable', '100%', 'weather-test-app (stable)', '2', 'the revision before'],
    ['primary', 'canary', '0%', 'weather-test-app', '2', 'docker.io/atulinfracloud/weathersample:v2'],
  ]);
  const mermaid = diagramMermaid(objects);
  expect(mermaid).toContain('route_http_0{{"route primary<br/>all requests<br/>plan: 50% → pause 600s (Argo Rollouts weather#8209;test#8209;app)"}}');
  // Each Service holds its own pods: the stable Service no longer shows the new image.
  expect(mermaid).toContain('svc_weather_test_app_stable[["Service weather#8209;test#8209;app#8209;stable<br/>stable<br/>selector app=weather#8209;test#8209;app<br/>'
    + 'Rollout weather#8209;test#8209;app (stable)<br/>the revision before<br/>replicas: 2<br/>primary: 100%"]]');
  expect(mermaid).toContain('svc_weather_test_app_canary[["Service weather#8209;test#8209;app#8209;canary<br/>canary<br/>selector app=weather#8209;test#8209;app<br/>'
    + 'Rollout weather#8209;test#8209;app<br/>weathersample:v2<br/>replicas: 2<br/>primary: 0%"]]');
});

test('a canary by subsets (real-service-argo): the DestinationRule\'s subsets carry the roles; pauses until promoted', () => {
  const objects = objectsOf(RealServiceArgo);
  expect(rows(diagramTable(objects)).map(r => r.slice(0, 3))).toEqual([['primary', 'stable', '100%'], ['primary', 'canary', '0%']]);
  expect(diagramMermaid(objects)).toContain('plan: 10% → pause until promoted → 50% → pause until promoted (Argo Rollouts cart)');
});

test('every kind of step in short form (argo-progressive-canary, argo-header-routed-canary)', () => {
  expect(diagramMermaid(objectsOf(ArgoProgressiveCanary))).toMatch(/plan: canary pods 50% → mirror route mirror → pause 600s → mirror route mirror → 10% → analysis/);
  expect(diagramMermaid(objectsOf(ArgoHeaderRoutedCanary))).toContain('plan: header route qa → header route beta → 20% → pause until promoted → 60% → pause until promoted');
});

test('blue/green (argo-blue-green): active and preview, with the promotion', () => {
  const objects = objectsOf(ArgoBlueGreen);
  expect(rows(diagramTable(objects)).map(r => r.slice(0, 4).concat(r[5]))).toEqual([
    ['preview-header', 'preview', '100%', 'frontend', 'ghcr.io/stefanprodan/podinfo:6.0.1'],
    ['preview-host', 'preview', '100%', 'frontend', 'ghcr.io/stefanprodan/podinfo:6.0.1'],
    ['primary', 'active', '100%', 'frontend (active)', 'the revision before'],
  ]);
  expect(diagramMermaid(objects)).toContain('plan: preview the new version, then promote after 300s (Argo Rollouts frontend)');
});

describe('a Rollout written by hand', () => {
  const service = (name: string): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { selector: { app: 'web' } } });
  const vs = (routeName = 'primary'): Obj => ({
    apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', namespace: 'shop' },
    spec: { hosts: ['web'], http: [{ name: routeName, route: [{ destination: { host: 'web-stable' }, weight: 100 }, { destination: { host: 'web-canary' }, weight: 0 }] }] },
  });
  const rollout = (strategy: Obj, namespace = 'shop'): Obj => ({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web', namespace },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:2' }] } }, strategy },
  });
  const canary = (extra: Obj = {}): Obj => ({ canary: {
    stableService: 'web-stable', canaryService: 'web-canary', steps: [{ setWeight: 20 }, { pause: { duration: '1m' } }, { experiment: {} }],
    trafficRouting: { istio: { virtualService: { name: 'web', routes: ['primary'] } } }, ...extra,
  } });
  const set = (r: Obj, v: Obj = vs()) => [service('web-stable'), service('web-canary'), r, v];

  test('marks the roles on the routes it names, and skips steps it has no words for', () => {
    expect(rows(diagramTable(set(rollout(canary())))).map(r => r.slice(0, 2))).toEqual([['primary', 'stable'], ['primary', 'canary']]);
    expect(diagramMermaid(set(rollout(canary())))).toContain('plan: 20% → pause 1m (Argo Rollouts web)');
  });

  test('draws a pause duration of any type, a number as written and anything else as JSON', () => {
    const paused = (duration: unknown) => canary({ steps: [{ pause: { duration } }] });
    expect(diagramMermaid(set(rollout(paused(30))))).toContain('plan: pause 30 (Argo Rollouts web)');
    // An object whose toString is no function makes String() throw.
    expect(diagramMermaid(set(rollout(paused({ toString: 1 }))))).toContain('plan: pause {#34;toString#34;:1} (Argo Rollouts web)');
  });

  test('names the VirtualService in a list as well', () => {
    const listed = canary({ trafficRouting: { istio: { virtualServices: [{ name: 'other' }, { name: 'web', routes: ['primary'] }] } } });
    expect(rows(diagramTable(set(rollout(listed))))[0][1]).toBe('stable');
  });

  test('leaves alone a route it does not name, another VirtualService, and a Rollout in another namespace', () => {
    expect(rows(diagramTable(set(rollout(canary()), vs('other'))))[0][1]).toBe('service web-stable');
    expect(rows(diagramTable(set(rollout(canary({ trafficRouting: { istio: { virtualService: { name: 'else' } } } })))))[0][1]).toBe('service web-stable');
    expect(rows(diagramTable(set(rollout(canary(), 'other'))))[0][1]).toBe('service web-stable');
  });

  test('a canary without steps goes straight to the new version; blue/green without auto-promotion waits for a person', () => {
    expect(diagramMermaid(set(rollout(canary({ steps: [] }))))).toContain('plan: straight to the new version');
    const blueGreen = { blueGreen: { activeService: 'web-stable', previewService: 'web-canary', autoPromotionEnabled: false } };
    expect(diagramMermaid(set(rollout(blueGreen)))).toContain('plan: preview the new version, then promote by hand');
    expect(diagramMermaid(set(rollout({ blueGreen: { activeService: 'web-stable' } })))).toContain('plan: preview the new version, then promote when ready');
  });
});
