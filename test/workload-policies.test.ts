import { ApiObject, Chart } from 'cdk8s';
import { BlueGreenApp, CanaryApp, CanaryAppProps, Color, DisruptionBudget } from '../src';
import { find, kinds, Manifest, newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schemas';

const v1 = { image: 'reviews:v1', version: 'v1' };
const v2 = { image: 'reviews:v2', version: 'v2' };

function reviews(chart: Chart, props: Partial<CanaryAppProps> = {}): CanaryApp {
  return new CanaryApp(chart, 'Reviews', { stable: v1, canary: v2, canaryWeight: 20, replicas: 3, ...props });
}

describe('disruption budgets', () => {
  const objects = synth(c => reviews(c, { disruptionBudget: DisruptionBudget.minAvailable(2) }));

  test('emits a policy/v1 PodDisruptionBudget per version, named after its Deployment, after it', () => {
    expect(kinds(objects)).toEqual(['Deployment', 'PodDisruptionBudget', 'Deployment', 'PodDisruptionBudget', 'Service', 'DestinationRule', 'VirtualService']);
    for (const version of ['v1', 'v2']) {
      const budget = find(objects, 'PodDisruptionBudget', `reviews-${version}`);
      expect(budget.apiVersion).toBe('policy/v1');
      expect(budget.metadata.namespace).toBe('shop');
      expect(budget.spec).toEqual({ minAvailable: 2, selector: { matchLabels: { app: 'reviews', version } } });
      expect(budget.spec.selector.matchLabels).toEqual(find(objects, 'Deployment', `reviews-${version}`).spec.template.metadata.labels);
    }
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('reaches a version\'s budget and autoscaler as children of its Deployment construct', () => {
    const app = reviews(newChart(), { disruptionBudget: DisruptionBudget.maxUnavailable(1), autoscaling: { maxReplicas: 5 } });
    const stable = app.node.findChild('Stable');
    expect(ApiObject.of(stable.node.findChild('DisruptionBudget')).kind).toBe('PodDisruptionBudget');
    expect(ApiObject.of(stable.node.findChild('Autoscaler')).kind).toBe('HorizontalPodAutoscaler');
    expect(app.disruptionBudgets.map(o => o.name)).toEqual(['reviews-v1', 'reviews-v2']);
    expect(app.autoscalers.map(o => o.name)).toEqual(['reviews-v1', 'reviews-v2']);
    expect(app.disruptionBudgets[0]).toBe(ApiObject.of(stable.node.findChild('DisruptionBudget')));
  });

  test.each([
    [DisruptionBudget.minAvailablePercent(50), { minAvailable: '50%' }],
    [DisruptionBudget.maxUnavailable(1), { maxUnavailable: 1 }],
    [DisruptionBudget.maxUnavailablePercent(25), { maxUnavailable: '25%' }],
  ])('sets %j as a count or a percentage', (disruptionBudget, expected) => {
    const objs = synth(c => reviews(c, { disruptionBudget }));
    expect(find(objs, 'PodDisruptionBudget', 'reviews-v1').spec).toMatchObject(expected);
    expectValidManifests(objs);
  });

  // reviews() runs 3 replicas of each version.
  test.each([
    ['minAvailable is the replicas', DisruptionBudget.minAvailable(3), {}, 'disruptionBudget.minAvailable', '3'],
    ['minAvailable 100% of the pods', DisruptionBudget.minAvailablePercent(100), {}, 'disruptionBudget.minAvailable', '"100%"'],
    ['maxUnavailable is 0', DisruptionBudget.maxUnavailable(0), {}, 'disruptionBudget.maxUnavailable', '0'],
    ['the canary runs fewer pods than minAvailable', DisruptionBudget.minAvailable(2), { canary: { ...v2, replicas: 2 } }, 'disruptionBudget.minAvailable', '2'],
  ])('fails when %s, which would let no pod be evicted', (_, disruptionBudget, props, field, value) => {
    expect(() => reviews(newChart(), { disruptionBudget, ...props }))
      .toThrow(`test/Reviews: ${field} lets no pod of reviews-v`);
    expect(() => reviews(newChart(), { disruptionBudget, ...props })).toThrow(`so node drains wait forever, got ${value}; `);
  });

  test('accepts a budget that a version at 0 replicas cannot meet: it has no pods to evict', () => {
    const objs = synth(c => reviews(c, { disruptionBudget: DisruptionBudget.minAvailable(2), stable: { ...v1, replicas: 0 }, canaryWeight: 100 }));
    expect(find(objs, 'PodDisruptionBudget', 'reviews-v1').spec.minAvailable).toBe(2);
    expectValidManifests(objs);
  });
});

describe('autoscaling', () => {
  const objects = synth(c => reviews(c, { autoscaling: { maxReplicas: 10, cpuUtilization: 70 }, canary: { ...v2, replicas: 1 } }));

  test('emits an autoscaling/v2 HorizontalPodAutoscaler per version whose minimum is the version\'s replicas', () => {
    const minimum = (name: string) => find(objects, 'HorizontalPodAutoscaler', name).spec.minReplicas;
    expect([minimum('reviews-v1'), minimum('reviews-v2')]).toEqual([3, 1]);
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'reviews-v2');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({
      maxReplicas: 10,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'reviews-v2' },
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });

  test('leaves replicas out of the Deployments, so that applies do not fight the autoscaler', () => {
    expect(objects.filter(o => o.kind === 'Deployment').map(o => o.spec.replicas)).toEqual([undefined, undefined]);
  });

  test('targets 80% CPU by default', () => {
    const objs = synth(c => reviews(c, { autoscaling: { maxReplicas: 5 } }));
    expect(find(objs, 'HorizontalPodAutoscaler', 'reviews-v1').spec.metrics[0].resource.target.averageUtilization).toBe(80);
  });

  test('gives a colour scaled to 0 no autoscaler, so that it stays at 0', () => {
    const objs: Manifest[] = synth(c => new BlueGreenApp(c, 'Web', {
      blue: v1, green: v2, active: Color.BLUE, scaledDown: Color.GREEN, autoscaling: { maxReplicas: 4 },
    }));
    expect(objs.filter(o => o.kind === 'HorizontalPodAutoscaler').map(o => o.metadata.name)).toEqual(['web-blue']);
    expect(find(objs, 'Deployment', 'web-green').spec.replicas).toBe(0);
    expectValidManifests(objs);
  });

  test.each([
    ['maxReplicas is 0', { maxReplicas: 0 }, 'autoscaling.maxReplicas must be a whole number, 1 or more, got 0'],
    ['cpuUtilization is not whole', { maxReplicas: 4, cpuUtilization: 70.5 }, 'autoscaling.cpuUtilization must be a whole number, 1 or more, got 70.5'],
    ['maxReplicas is below a version\'s replicas', { maxReplicas: 2 }, 'autoscaling.maxReplicas must be at least stable\'s 3 replicas, the autoscaler\'s minimum, got 2; raise maxReplicas to 3 or more'],
  ])('fails when %s', (_, autoscaling, message) => {
    expect(() => reviews(newChart(), { autoscaling })).toThrow(`test/Reviews: ${message}`);
  });
});
