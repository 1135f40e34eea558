import { VersionTestCanary } from '../../examples/version-test-canary';
import { deploymentsBehindSubset, deploymentsSelectedBy, find, weights } from '../support/manifests';
import { exampleObjects, RELEASE } from './example';

describe('example: version-test canary 90/10 (seed 003)', () => {
  const objects = exampleObjects(VersionTestCanary, ['Gateway', ...RELEASE]);

  test('splits 90/10, and fixes the seed\'s subsets, which selected `app: v1` and `app: v2`', () => {
    expect(weights(find(objects, 'VirtualService', 'version-test'))).toEqual({ v1: 90, v2: 10 });
    expect(find(objects, 'DestinationRule', 'version-test').spec.subsets.map((s: any) => s.labels))
      .toEqual([{ version: 'v1' }, { version: 'v2' }]);
    expect(deploymentsBehindSubset(objects, 'version-test', 'v2')).toEqual(['version-test-v2']);
    expect(deploymentsSelectedBy(objects, find(objects, 'Service', 'version-test').spec.selector))
      .toEqual(['version-test-v1', 'version-test-v2']);
  });

  test('runs one replica of each version, pulled if not present, behind canary-gateway', () => {
    for (const name of ['version-test-v1', 'version-test-v2']) {
      const deployment = find(objects, 'Deployment', name);
      expect(deployment.spec.replicas).toBe(1);
      expect(deployment.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    }
    expect(find(objects, 'VirtualService', 'version-test').spec.gateways).toEqual(['default/canary-gateway', 'mesh']);
  });
});
