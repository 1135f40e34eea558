import { BookinfoDarkLaunch } from '../../examples/bookinfo-dark-launch';
import { deploymentsBehindSubset, find, Manifest } from '../support/manifests';
import { exampleObjects, RELEASE } from './example';

describe('example: Bookinfo reviews v3 dark launch (testers, mirroring, resilience, mTLS)', () => {
  const objects = exampleObjects(BookinfoDarkLaunch, [...RELEASE, 'PeerAuthentication']);
  const http = () => find(objects, 'VirtualService', 'reviews').spec.http;
  const primary = () => http().find((r: Manifest) => r.name === 'primary');

  test('sends jason and the QA runner to v3, and everyone else 100% to v2', () => {
    expect(http().map((r: Manifest) => [r.name, r.route.map((d: Manifest) => [d.destination.subset, d.weight])])).toEqual([
      ['jason', [['v3', undefined]]],
      ['qa', [['v3', undefined]]],
      ['primary', [['v2', 100], ['v3', 0]]],
    ]);
    expect(http().slice(0, 2).map((r: Manifest) => r.match)).toEqual([
      [{ headers: { 'end-user': { exact: 'jason' } } }],
      [{ sourceLabels: { app: 'qa-runner' } }],
    ]);
    expect(deploymentsBehindSubset(objects, 'reviews', 'v3')).toEqual(['reviews-v3']);
  });

  test('copies 20% of the traffic to v3 as shadow traffic', () => {
    expect(primary()).toMatchObject({ mirror: { subset: 'v3' }, mirrorPercentage: { value: 20 } });
  });

  test('gives every route a timeout and retries, and only the testers\' routes to v3 a delay and an abort', () => {
    const fault = {
      delay: { fixedDelay: '2s', percentage: { value: 10 } },
      abort: { httpStatus: 503, percentage: { value: 5 } },
    };
    expect(http().map((r: Manifest) => [r.name, r.timeout, r.retries, r.fault])).toEqual(['jason', 'qa', 'primary'].map(name => [
      name, '10s', { attempts: 3, perTryTimeout: '3s', retryOn: '5xx,reset,connect-failure' }, name === 'primary' ? undefined : fault,
    ]));
  });

  test('breaks the circuit on failing pods, uses Istio\'s mutual TLS to them, and balances v3 round robin', () => {
    expect(find(objects, 'DestinationRule', 'reviews').spec).toEqual({
      host: 'reviews.bookinfo.svc.cluster.local',
      trafficPolicy: {
        connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 50 } },
        outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
        tls: { mode: 'ISTIO_MUTUAL' },
      },
      subsets: [
        { name: 'v2', labels: { version: 'v2' } },
        { name: 'v3', labels: { version: 'v3' }, trafficPolicy: { loadBalancer: { simple: 'ROUND_ROBIN' } } },
      ],
    });
  });

  test('the pods accept only mutual TLS', () => {
    expect(find(objects, 'PeerAuthentication', 'reviews').spec).toEqual({ selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'STRICT' } });
  });
});
