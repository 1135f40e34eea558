import { ArgoHeaderRoutedCanary, ArgoProgressiveCanary } from '../../examples/argo-progressive-canary';
import { find, Manifest } from '../support/manifests';
import { exampleObjects } from './example';

describe('example: a canary run by Argo Rollouts with a mirror, a pause per step, its own check and pod options', () => {
  const objects = exampleObjects(ArgoProgressiveCanary, ['AnalysisTemplate', 'AnalysisTemplate', 'Rollout', 'Service', 'DestinationRule', 'VirtualService']);
  const canary = find(objects, 'Rollout', 'payments').spec.strategy.canary;

  test('runs half the pods, mirrors every request to 6.0.1 for ten minutes, then walks 10%, 30% and 60%, each held as its pause says', () => {
    const args = [
      { name: 'service', value: 'payments' },
      { name: 'namespace', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'version', value: '6.0.1' },
    ];
    expect(canary.steps).toEqual([
      { setCanaryScale: { weight: 50 } },
      { setMirrorRoute: { name: 'mirror', percentage: 100, match: [{ path: { prefix: '/' } }] } },
      { pause: { duration: '600s' } },
      { setMirrorRoute: { name: 'mirror' } },
      { setWeight: 10 }, { analysis: { templates: [{ templateName: 'payments-checks-5' }], args } },
      { setWeight: 30 }, { pause: {} },
      { setWeight: 60 }, { pause: { duration: '1800s' } },
      { setCanaryScale: { matchTrafficWeight: true } },
      { setWeight: 100 },
    ]);
    expect(find(objects, 'AnalysisTemplate', 'payments-checks-5').spec.metrics.map((m: Manifest) => m.count)).toEqual([5, 5, 5]);
    expect(canary.trafficRouting.managedRoutes).toEqual([{ name: 'mirror' }]);
    expect(canary.analysis.templates).toEqual([{ templateName: 'payments' }, { templateName: 'error-budget', clusterScope: true }]);
    // After the first weight: the mirror's copies reach the canary, but its callers' proxies don't report them.
    expect(canary.steps[canary.analysis.startingStep - 1]).toEqual({ setWeight: 10 });
  });

  test('adds one pod at a time and takes none away, apart from the old nodes where it can, with each role labelled', () => {
    expect(canary).toMatchObject({
      maxSurge: 1,
      maxUnavailable: 0,
      antiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { weight: 100 } },
      canaryMetadata: { labels: { role: 'canary' } },
      stableMetadata: { labels: { role: 'stable' } },
      abortScaleDownDelaySeconds: 300,
      scaleDownDelaySeconds: 120,
    });
  });

  test('checks podinfo\'s 5xx answers of the new version besides Istio\'s success rate and latency', () => {
    const metrics = find(objects, 'AnalysisTemplate', 'payments').spec.metrics;
    expect(metrics.map((m: Manifest) => m.name)).toEqual(['success-rate', 'request-duration', 'server-errors']);
    expect(metrics[2]).toMatchObject({
      interval: '120s',
      successCondition: 'len(result) > 0 && result[0] <= 1',
      failureCondition: 'len(result) > 0 && result[0] > 1',
      provider: { prometheus: { query: 'sum(rate(http_request_duration_seconds_count{namespace="{{args.namespace}}", app="payments", '
        + 'version="{{args.version}}", status=~"5.."}[120s]))' } },
    });
  });
});

describe('example: testers reach a canary run by Argo Rollouts through its managed header routes', () => {
  const objects = exampleObjects(ArgoHeaderRoutedCanary, ['Rollout', 'Service', 'DestinationRule', 'VirtualService']);
  const canary = find(objects, 'Rollout', 'search').spec.strategy.canary;

  test('sets the header and cookie routes at the start of the release, which Argo removes at its end', () => {
    expect(canary.steps).toEqual([
      { setHeaderRoute: { name: 'qa', match: [{ headerName: 'x-qa', headerValue: { exact: '1' } }] } },
      { setHeaderRoute: { name: 'beta', match: [{ headerName: 'cookie', headerValue: { regex: '^(.*;\\s*)?beta=on(;.*)?$' } }] } },
      { setWeight: 20 }, { pause: {} }, { setWeight: 60 }, { pause: {} },
    ]);
    expect(canary.trafficRouting.managedRoutes).toEqual([{ name: 'qa' }, { name: 'beta' }]);
    expect(find(objects, 'VirtualService', 'search').spec.http.map((r: Manifest) => r.name)).toEqual(['primary']);
  });

  test('scales the old version down as the new one takes traffic, with no scale-down delay, which Argo refuses beside it', () => {
    expect(canary.dynamicStableScale).toBe(true);
    expect(canary.scaleDownDelaySeconds).toBeUndefined();
  });
});
