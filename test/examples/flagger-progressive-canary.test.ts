import { FlaggerAbTesting, FlaggerMirroredBlueGreen } from '../../examples/flagger-ab-testing';
import { FlaggerProgressiveCanary } from '../../examples/flagger-progressive-canary';
import { find, Manifest } from '../support/manifests';
import { exampleObjects } from './example';

describe('example: a canary run by Flagger with session affinity, its own check, readiness thresholds, a stepped promotion and alerts', () => {
  const objects = exampleObjects(FlaggerProgressiveCanary, ['Deployment', 'MetricTemplate', 'Canary']);
  const analysis = find(objects, 'Canary', 'orders').spec.analysis;

  test('walks 5%, 20% and 50%, pinning users sent to 6.0.1 for half an hour', () => {
    expect(analysis.stepWeights).toEqual([5, 20, 50]);
    expect(analysis.sessionAffinity).toEqual({ cookieName: 'orders-pin', primaryCookieName: 'orders-pin-primary', maxAge: 1800, path: '/' });
  });

  test('checks podinfo\'s 5xx answers through a MetricTemplate of their own', () => {
    expect(find(objects, 'MetricTemplate', 'orders-server-errors').spec.query).toBe(
      'sum(rate(http_request_duration_seconds_count{namespace="{{ namespace }}", app="orders", version="6.0.1", status=~"5.."}[{{ interval }}]))');
    expect(analysis.metrics[2]).toEqual({ name: 'server-errors', interval: '1m', templateRef: { name: 'orders-server-errors' }, thresholdRange: { max: 1 } });
  });

  test('starts at 80% of the primary ready, promotes a quarter at a time, and alerts the team and on-call', () => {
    expect(analysis).toMatchObject({ primaryReadyThreshold: 80, canaryReadyThreshold: 100, stepWeightPromotion: 25 });
    expect(analysis.alerts).toEqual([
      { name: 'team', severity: 'info', providerRef: { name: 'slack' } },
      { name: 'on-call', severity: 'error', providerRef: { name: 'pagerduty', namespace: 'flagger-system' } },
    ]);
  });
});

describe('example: A/B testing run by Flagger', () => {
  const objects = exampleObjects(FlaggerAbTesting, ['Deployment', 'Canary']);
  const analysis = find(objects, 'Canary', 'search').spec.analysis;

  test('sends testers by cookie or header to 6.0.1 for ten passed checks, and moves no weights', () => {
    expect(analysis.iterations).toBe(10);
    expect(analysis.match).toEqual([
      { headers: { cookie: { regex: '^(.*;\\s*)?beta=1(;.*)?$' } } },
      { headers: { 'x-beta': { exact: '1' } } },
    ]);
    expect(analysis.metrics.map((m: Manifest) => m.name)).toEqual(['request-success-rate', 'request-duration']);
    expect(analysis.stepWeights).toBeUndefined();
  });
});

describe('example: a blue/green run by Flagger with a mirror', () => {
  const objects = exampleObjects(FlaggerMirroredBlueGreen, ['Deployment', 'Canary']);
  const analysis = find(objects, 'Canary', 'catalog').spec.analysis;

  test('copies every request to the new colour while it checks it five times, with no load test', () => {
    expect(analysis).toMatchObject({ iterations: 5, mirror: true, mirrorWeight: 100 });
    expect(analysis.webhooks).toBeUndefined();
  });
});
