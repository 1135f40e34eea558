import { ReviewsCanary } from '../../examples/reviews-canary';
import { deploymentsBehindSubset, find, weights } from '../support/manifests';
import { exampleObjects, RELEASE } from './example';

describe('example: reviews 75/25 in prod, mesh only (seed 004)', () => {
  const objects = exampleObjects(ReviewsCanary, RELEASE);

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
