import { Testing } from 'cdk8s';
import { AMBIENT_PLAN, BookinfoAmbient } from '../../examples/bookinfo-ambient';
import { verifyManifests } from '../../src';
import { deploymentsSelectedBy, find, Manifest } from '../support/manifests';
import { exampleObjects } from './example';

/** `{ backend Service: weight }` of an HTTPRoute's weighted rule. */
const split = (objects: Manifest[], name: string) =>
  Object.fromEntries(find(objects, 'HTTPRoute', name).spec.rules.find((r: Manifest) => r.name === 'primary').backendRefs
    .map((b: Manifest) => [b.name, b.weight]));

describe('example: Bookinfo reviews on the ambient data plane, 90/10 then 50/50', () => {
  const objects = exampleObjects(BookinfoAmbient,
    ['Gateway', 'Gateway', 'Deployment', 'Deployment', 'Service', 'Service', 'Service', 'HTTPRoute', 'HTTPRoute', 'PeerAuthentication']);

  test('the waypoint comes first: a Gateway of class istio-waypoint with the HBONE mesh listener, for Service traffic', () => {
    expect(objects[0]).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'waypoint', namespace: 'bookinfo-ambient', labels: { 'istio.io/waypoint-for': 'service' } },
      spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] },
    });
  });

  test('the Service the mesh route attaches to is enrolled with the waypoint; the per-version Services are not', () => {
    expect(find(objects, 'Service', 'reviews').metadata.labels).toEqual({ 'app': 'reviews', 'istio.io/use-waypoint': 'waypoint' });
    expect(find(objects, 'Service', 'reviews-v1').metadata.labels).toEqual({ app: 'reviews' });
    expect(find(objects, 'Service', 'reviews-v2').metadata.labels).toEqual({ app: 'reviews' });
  });

  test('the pods join ambient by label, with no sidecar, and keep the labels the Services select', () => {
    for (const version of ['v1', 'v2']) {
      expect(find(objects, 'Deployment', `reviews-${version}`).spec.template.metadata.labels).toEqual({
        'app': 'reviews', 'version': version, 'istio.io/dataplane-mode': 'ambient', 'sidecar.istio.io/inject': 'false',
      });
      expect(deploymentsSelectedBy(objects, find(objects, 'Service', `reviews-${version}`).spec.selector)).toEqual([`reviews-${version}`]);
    }
  });

  test('no VirtualService or DestinationRule: the weighted HTTPRoute on the Service splits 90/10 across the per-version Services', () => {
    expect(objects.filter(o => o.apiVersion.startsWith('networking.istio.io'))).toEqual([]);
    expect(find(objects, 'HTTPRoute', 'reviews').spec.parentRefs).toEqual([{ group: '', kind: 'Service', name: 'reviews', port: 9080 }]);
    expect(split(objects, 'reviews')).toEqual({ 'reviews-v1': 90, 'reviews-v2': 10 });
    expect(split(objects, 'reviews-gateway')).toEqual({ 'reviews-v1': 90, 'reviews-v2': 10 });
    expect(find(objects, 'HTTPRoute', 'reviews-gateway').spec.parentRefs).toEqual([{ name: 'bookinfo', namespace: 'bookinfo-ambient' }]);
  });

  test('mTLS holds in ambient too: ztunnel enforces the STRICT PeerAuthentication', () => {
    expect(find(objects, 'PeerAuthentication', 'reviews').spec).toEqual({ mtls: { mode: 'STRICT' }, selector: { matchLabels: { app: 'reviews' } } });
  });

  test('the next step of the plan, one commit later, is 50/50 and differs only in the weights', () => {
    const next = Testing.synth(new BookinfoAmbient(Testing.app(), 'bookinfo-ambient', 1));
    expect(AMBIENT_PLAN.steps).toEqual([10, 50]);
    expect(split(next, 'reviews')).toEqual({ 'reviews-v1': 50, 'reviews-v2': 50 });
    const weightless = (all: Manifest[]) => JSON.stringify(all).replace(/"weight":\d+/g, '');
    expect(weightless(next)).toEqual(weightless(objects));
    expect(verifyManifests(next)).toEqual([]);
  });
});
