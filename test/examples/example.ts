import { App, Chart, Testing } from 'cdk8s';
import { deploymentsBehindSubset, kinds, Manifest } from '../support/manifests';
import { expectValidManifests } from '../support/schemas';

/** The apiVersions each kind may be emitted with; `Gateway` is Istio's or the Gateway API's. */
const API_VERSIONS: Record<string, string[]> = {
  Deployment: ['apps/v1'],
  Service: ['v1'],
  ServiceAccount: ['v1'],
  ConfigMap: ['v1'],
  PodDisruptionBudget: ['policy/v1'],
  HorizontalPodAutoscaler: ['autoscaling/v2'],
  DestinationRule: ['networking.istio.io/v1'],
  VirtualService: ['networking.istio.io/v1'],
  Gateway: ['networking.istio.io/v1', 'gateway.networking.k8s.io/v1'],
  PeerAuthentication: ['security.istio.io/v1'],
  HTTPRoute: ['gateway.networking.k8s.io/v1'],
  Rollout: ['argoproj.io/v1alpha1'],
  AnalysisTemplate: ['argoproj.io/v1alpha1'],
  Canary: ['flagger.app/v1beta1'],
  MetricTemplate: ['flagger.app/v1beta1'],
};

/**
 * Synthesizes an example chart, and tests what every example must do: emit these kinds, each with
 * its apiVersion and valid, and give every DestinationRule subset exactly one Deployment's pods.
 */
export function exampleObjects(Example: new (app: App) => Chart, expectedKinds: string[]): Manifest[] {
  const objects = Testing.synth(new Example(Testing.app()));
  test(`emits ${expectedKinds.join(', ')}, each valid against its schema`, () => {
    expect(kinds(objects)).toEqual(expectedKinds);
    expect(objects.filter(o => !API_VERSIONS[o.kind]?.includes(o.apiVersion)).map(o => `${o.kind} ${o.apiVersion}`)).toEqual([]);
    expectValidManifests(objects);
    expect(objects).toMatchSnapshot();
  });
  // Examples without subsets (the Gateway API's, the selector cutover's), or whose subsets are
  // Argo Rollouts' roles over a Rollout's pods, have nothing to check here.
  if (expectedKinds.includes('DestinationRule') && expectedKinds.includes('Deployment')) {
    test('every DestinationRule subset selects the pods of exactly one Deployment, named after it', () => {
      const subsets = objects.filter(o => o.kind === 'DestinationRule').flatMap(rule => rule.spec.subsets
        .map((subset: Manifest) => [subset.name, deploymentsBehindSubset(objects, rule.metadata.name, subset.name)]));
      expect(subsets.length).toBeGreaterThan(0);
      expect(subsets.filter(([name, deployments]) => deployments.length !== 1 || !deployments[0].endsWith(`-${name}`))).toEqual([]);
    });
  }
  return objects;
}

/** The objects of one two-version release, in make-before-break order. */
export const RELEASE = ['Deployment', 'Deployment', 'Service', 'DestinationRule', 'VirtualService'];
