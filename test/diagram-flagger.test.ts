import { Testing } from 'cdk8s';
import { FlaggerAbTesting, FlaggerMirroredBlueGreen } from '../examples/flagger-ab-testing';
import { FlaggerCanary } from '../examples/flagger-canary';
import { FlaggerGatewayApiCanary } from '../examples/flagger-gateway-api-canary';
import { FlaggerPodinfoBlueGreen } from '../examples/flagger-podinfo-blue-green';
import { diagramMermaid, diagramTable } from '../src/diagram';
import { tableRows } from './support/tables';

/** Flagger Canaries in the pictures: what Flagger will make of them, named by role, with the plan. */
type Obj = { [key: string]: any };

const objectsOf = (Example: new (app: any) => any) => Testing.synth(new Example(Testing.app()));
/** Route, version, weight, workload, replicas and image of each row. */
const rows = (table: string) => tableRows(table).map(r => [r[0], r[4], r[5], r[6], r[7], r[8]]);

describe('a canary by steps (flagger-canary)', () => {
  const objects = objectsOf(FlaggerCanary);
  const mermaid = diagramMermaid(objects);

  test('is drawn, where nothing was: its gateways and hosts, the plan, and both roles by name', () => {
    expect(mermaid).toContain('%% Canary test/podinfo');
    expect(mermaid).toContain('gw_istio_system_public_gateway(["Gateway istio#8209;system/public#8209;gateway<br/>not in these manifests"])');
    expect(mermaid).toContain('mesh(["mesh"])');
    expect(mermaid).toContain('hosts["app.example.com<br/>podinfo.test.svc.cluster.local"]');
    expect(mermaid).toContain('route_http_0{{"route primary<br/>all requests<br/>plan: canary 10% → 25% → 50%, a step every 1m, then promote"}}');
    expect(mermaid).toContain('[/"Service podinfo#8209;primary<br/>stable, made by Flagger<br/>Deployment podinfo#8209;primary<br/>podinfo:6.0.1<br/>replicas: auto (HPA 2#8209;4)<br/>'
      + 'primary: 100% between releases"/]');
    expect(mermaid).toContain('[/"Service podinfo#8209;canary<br/>canary, made by Flagger<br/>Deployment podinfo<br/>podinfo:6.0.1<br/>replicas: auto (HPA 2#8209;4)<br/>'
      + 'primary: 10% → 25% → 50% in a release"/]');
  });

  test('the table names the roles: the primary, Flagger\'s copy of the target, and the target as the canary', () => {
    expect(rows(diagramTable(objects))).toEqual([
      ['primary', 'stable (primary)', '100% between releases', 'podinfo-primary', 'auto (HPA 2-4)', 'ghcr.io/stefanprodan/podinfo:6.0.1'],
      ['primary', 'canary', '10% → 25% → 50% in a release', 'podinfo', 'auto (HPA 2-4)', 'ghcr.io/stefanprodan/podinfo:6.0.1'],
    ]);
  });
});

test('blue/green (flagger-podinfo-blue-green): no traffic to the canary while it is checked, all of it to promote', () => {
  const table = diagramTable(objectsOf(FlaggerPodinfoBlueGreen));
  expect(rows(table).map(r => r.slice(0, 3))).toEqual([
    ['primary', 'stable (primary)', '100% between releases'],
    ['primary', 'canary', '0%, 100% to promote'],
  ]);
  expect(diagramMermaid(objectsOf(FlaggerPodinfoBlueGreen))).toContain('plan: blue/green, 3 checks every 90s, then promote');
});

test('A/B testing (flagger-ab-testing): the testers\' matches go to the canary, the rest stays on the primary', () => {
  const objects = objectsOf(FlaggerAbTesting);
  expect(diagramMermaid(objects)).toContain('route_http_0{{"route A/B testers<br/>cookie beta=1<br/>or header x#8209;beta=1<br/>during a release only"}}');
  expect(rows(diagramTable(objects)).map(r => r.slice(0, 3))).toEqual([
    ['A/B testers', 'canary', 'during a release 100%'],
    ['primary', 'stable (primary)', '100% between releases'],
  ]);
});

test('a mirrored blue/green (flagger-mirrored-blue-green): the mirror is dotted, to the canary', () => {
  expect(diagramMermaid(objectsOf(FlaggerMirroredBlueGreen))).toMatch(/route_http_0 -\.->\|"mirror 100%"\| host_catalog_canary_\w+/);
});

test('the Gateway API provider (flagger-gateway-api-canary): its Gateway and the Service parent, the mesh', () => {
  const mermaid = diagramMermaid(objectsOf(FlaggerGatewayApiCanary));
  expect(mermaid).toContain('gw_podinfo_gw_edge(["Gateway podinfo#8209;gw/edge"])');
  expect(mermaid).toContain('mesh(["mesh"])');
  expect(mermaid).toContain('plan: canary 10% → 40%, a step every 1m, then promote');
});

describe('a Canary as written by hand', () => {
  const canary = (analysis: Obj, service: Obj = { port: 80 }, targetRef: Obj = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }): Obj => ({
    apiVersion: 'flagger.app/v1beta1', kind: 'Canary', metadata: { name: 'web', namespace: 'shop' }, spec: { targetRef, service, analysis },
  });
  const table = (analysis: Obj, service?: Obj, targetRef?: Obj) => rows(diagramTable([canary(analysis, service, targetRef)]));

  test('stepWeight rises to maxWeight, 100 by default', () => {
    expect(table({ stepWeight: 20, maxWeight: 60 })[1][2]).toBe('20% → 40% → 60% in a release');
    expect(table({ stepWeight: 50 })[1][2]).toBe('50% → 100% in a release');
  });

  test('without steps or iterations, a release sends the canary nothing until it promotes', () => {
    expect(table({})[1][2]).toBe('0%, 100% to promote');
    expect(diagramMermaid([canary({})])).toContain('plan: none');
  });

  test('a target that is not in the set draws the roles without workloads; the Service name wins over the target\'s', () => {
    expect(table({ stepWeights: [5] }, { port: 80, name: 'store' }, { kind: 'Deployment', name: 'absent' })).toEqual([
      ['primary', 'stable (primary)', '100% between releases', '-', '-', '-'],
      ['primary', 'canary', '5% in a release', '-', '-', '-'],
    ]);
    expect(diagramMermaid([canary({}, { port: 80, name: 'store' })])).toContain('"Service store#8209;primary<br/>stable, made by Flagger<br/>primary: 100% between releases"');
  });

  test('no gateways is the mesh alone; a bare gateway name is the Canary\'s namespace\'s', () => {
    expect(diagramMermaid([canary({})])).toContain('mesh(["mesh"])');
    expect(diagramMermaid([canary({}, { port: 80, gateways: ['public'] })])).toContain('gw_shop_public(["Gateway shop/public<br/>not in these manifests"])');
  });
});
