import { BookinfoDarkLaunch } from '../../examples/bookinfo-dark-launch';
import { deploymentsBehindSubset, find, Manifest } from '../support/manifests';
import { exampleObjects, RELEASE } from './example';

describe('example: Bookinfo reviews v3 dark launch (testers, mirroring, resilience, mTLS)', () => {
  const objects = exampleObjects(BookinfoDarkLaunch, [...RELEASE, 'PeerAuthentication']);
  const http = () => find(objects, 'VirtualService', 'reviews').spec.http;

  test('sends jason and the QA runner to v3, and everyone else 100% to v2', () => {
    expect(http().map((r: Manifest) => [r.name, r.route.map((d: Manifest) => [d.destination.subset, d.weight])])).toEqual([
      ['jason', [['v3', undefined]]],
      ['qa', [['v3', undefined]]],
      ['primary', [['v2', 100], ['v3', 0]]],
    ]);
    expect(http()[0].match).toEqual([{ headers: { 'end-user': { exact: 'jason' } } }]);
    expect(deploymentsBehindSubset(objects, 'reviews', 'v3')).toEqual(['reviews-v3']);
  });

  test('copies 20% of the traffic to v3 as shadow traffic', () => {
    expect(http()[2]).toMatchObject({ mirror: { subset: 'v3' }, mirrorPercentage: { value: 20 } });
  });

  test('gives every route a timeout and retries, and only the testers\' route to v3 a delay', () => {
    expect(http().map((r: Manifest) => [r.timeout, r.retries.attempts, r.fault?.delay.fixedDelay]))
      .toEqual([['10s', 3, '2s'], ['10s', 3, '2s'], ['10s', 3, undefined]]);
  });

  test('breaks the circuit on failing pods and accepts only mutual TLS', () => {
    expect(find(objects, 'DestinationRule', 'reviews').spec.trafficPolicy.outlierDetection.consecutive5xxErrors).toBe(5);
    expect(find(objects, 'PeerAuthentication', 'reviews').spec.mtls).toEqual({ mode: 'STRICT' });
  });
});
