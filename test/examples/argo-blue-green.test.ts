import { ArgoBlueGreen } from '../../examples/argo-blue-green';
import { find } from '../support/manifests';
import { exampleObjects } from './example';

describe('example: blue/green run by Argo Rollouts, with a preview and its analysis', () => {
  const objects = exampleObjects(ArgoBlueGreen, ['AnalysisTemplate', 'Rollout', 'Service', 'Service', 'VirtualService']);
  const blueGreen = find(objects, 'Rollout', 'frontend').spec.strategy.blueGreen;

  test('brings podinfo 6.0.1 up behind frontend-preview and promotes it after the analysis passes', () => {
    expect(find(objects, 'Rollout', 'frontend').spec.template.spec.containers[0].image).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
    expect(blueGreen).toMatchObject({
      activeService: 'frontend', previewService: 'frontend-preview', autoPromotionEnabled: true,
    });
    // Without a delay, Argo keeps the old revision until the analysis after the switch passes.
    expect(blueGreen.scaleDownDelaySeconds).toBeUndefined();
    expect(blueGreen.prePromotionAnalysis.templates).toEqual([{ templateName: 'frontend' }]);
    expect(blueGreen.prePromotionAnalysis.args[0]).toEqual({ name: 'service', value: 'frontend-preview' });
  });

  test('previews on one pod of three, promotes five minutes after the checks pass, and checks the live Service again', () => {
    expect(find(objects, 'Rollout', 'frontend').spec.replicas).toBe(3);
    expect(blueGreen).toMatchObject({ previewReplicaCount: 1, autoPromotionSeconds: 300 });
    expect(blueGreen.postPromotionAnalysis.templates).toEqual([{ templateName: 'frontend' }]);
    expect(blueGreen.postPromotionAnalysis.args[0]).toEqual({ name: 'service', value: 'frontend' });
  });

  test('checks the preview five times against 99% success and 500 ms at the 99th percentile; a quiet preview is inconclusive', () => {
    const metrics = find(objects, 'AnalysisTemplate', 'frontend').spec.metrics;
    expect(metrics.map((m: { name: string; count: number; successCondition: string; failureCondition: string }) =>
      [m.name, m.count, m.successCondition, m.failureCondition])).toEqual([
      ['success-rate', 5, 'len(result) > 0 && result[0] >= 99', 'len(result) > 0 && result[0] < 99'],
      ['request-duration', 5, 'len(result) > 0 && result[0] <= 500', 'len(result) > 0 && result[0] > 500'],
    ]);
  });

  test('testers reach the preview by header or host; everyone else the active Service', () => {
    const http = find(objects, 'VirtualService', 'frontend').spec.http;
    const preview = { destination: { host: 'frontend-preview.frontend.svc.cluster.local' } };
    expect(http.map((r: { name: string; route: unknown[] }) => [r.name, r.route])).toEqual([
      ['preview-header', [preview]],
      ['preview-host', [preview]],
      ['primary', [{ destination: { host: 'frontend.frontend.svc.cluster.local' } }]],
    ]);
  });
});
