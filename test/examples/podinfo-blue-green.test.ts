import { PodinfoBlueGreen } from '../../examples/podinfo-blue-green';
import { deploymentsBehindSubset, find, weights } from '../support/manifests';
import { exampleObjects, RELEASE } from './example';

describe('example: podinfo backend blue/green in webapp (seed 002)', () => {
  // No Gateway: the shared one exists already and is only referred to.
  const objects = exampleObjects(PodinfoBlueGreen, RELEASE);

  test('puts every object in webapp', () => {
    expect(objects.map(o => o.metadata.namespace)).toEqual(RELEASE.map(() => 'webapp'));
  });

  test('serves backend.webapp on port 9898 through istio-system/public-gateway', () => {
    const vs = find(objects, 'VirtualService', 'backend');
    expect(vs.spec.gateways).toEqual(['istio-system/public-gateway', 'mesh']);
    expect(vs.spec.hosts).toEqual(['backend.webapp', 'backend.webapp.svc.cluster.local']);
    expect(find(objects, 'Service', 'backend').spec.ports).toEqual([{ name: 'http', port: 9898, targetPort: 9898 }]);
  });

  test('keeps all traffic on blue (6.0.0) while green (6.0.1) waits', () => {
    expect(weights(find(objects, 'VirtualService', 'backend'))).toEqual({ blue: 100, green: 0 });
    expect(deploymentsBehindSubset(objects, 'backend', 'blue')).toEqual(['backend-blue']);
    expect(find(objects, 'Deployment', 'backend-green').spec.template.spec.containers[0].image)
      .toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
  });

  test('probes podinfo\'s health endpoints and runs it as a numeric non-root user', () => {
    const container = find(objects, 'Deployment', 'backend-blue').spec.template.spec.containers[0];
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 9898 });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 9898 });
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 100 });
  });
});
