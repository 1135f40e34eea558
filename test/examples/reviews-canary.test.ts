import { Testing } from 'cdk8s';
import { ReviewsCanary } from '../../examples/reviews-canary';
import { deploymentsBehindSubset, find, kinds, weights } from '../support/manifests';
import { expectValidManifests } from '../support/schemas';

describe('example: reviews 75/25 in prod, mesh only (seed 004)', () => {
  const objects = Testing.synth(new ReviewsCanary(Testing.app()));

  test('emits every object, each valid against its schema, and no Gateway', () => {
    expect(kinds(objects)).toEqual(['Deployment', 'Deployment', 'Service', 'DestinationRule', 'VirtualService']);
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('splits 75/25 between v1 and v2 on reviews.prod.svc.cluster.local, in the mesh only', () => {
    const vs = find(objects, 'VirtualService', 'reviews');
    expect(weights(vs)).toEqual({ v1: 75, v2: 25 });
    expect(vs.spec.hosts).toEqual(['reviews.prod.svc.cluster.local']);
    expect(vs.spec.gateways).toBeUndefined();
    expect(vs.spec.http[0].route.map((r: any) => r.destination.host)).toEqual(['reviews.prod.svc.cluster.local', 'reviews.prod.svc.cluster.local']);
    expect(deploymentsBehindSubset(objects, 'reviews', 'v2')).toEqual(['reviews-v2']);
  });

  test('serves Bookinfo\'s port 9080', () => {
    expect(find(objects, 'Service', 'reviews').spec.ports).toEqual([{ name: 'http', port: 9080, targetPort: 9080 }]);
  });
});
