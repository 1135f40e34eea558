import { NginxBlueGreen } from '../../examples/nginx-blue-green';
import { deploymentsBehindSubset, deploymentsSelectedBy, find, weights } from '../support/manifests';
import { exampleObjects, RELEASE } from './example';

describe('example: nginx 1.10 -> 1.11 blue/green (seed 000)', () => {
  const objects = exampleObjects(NginxBlueGreen, ['Gateway', ...RELEASE]);

  test('runs nginx 1.10 (blue, scaled to 0 after the cutover) and 1.11 (green, 2 replicas) on container port 80', () => {
    for (const [name, image, replicas] of [['nginx-blue', 'nginx:1.10', 0], ['nginx-green', 'nginx:1.11', 2]]) {
      const deployment = find(objects, 'Deployment', name as string);
      expect(deployment.spec.replicas).toBe(replicas);
      expect(deployment.spec.template.spec.containers[0]).toMatchObject({ image, ports: [{ containerPort: 80 }] });
    }
  });

  test('fixes the seed\'s Service, whose selector matched no pods: it now selects both colours', () => {
    const service = find(objects, 'Service', 'nginx');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 80 }]);
    expect(deploymentsSelectedBy(objects, service.spec.selector)).toEqual(['nginx-blue', 'nginx-green']);
  });

  test('has cut over: green (1.11) takes all traffic through app-gateway', () => {
    const vs = find(objects, 'VirtualService', 'nginx');
    expect(weights(vs)).toEqual({ blue: 0, green: 100 });
    expect(deploymentsBehindSubset(objects, 'nginx', 'green')).toEqual(['nginx-green']);
    expect(vs.spec.gateways).toEqual(['default/app-gateway', 'mesh']);
    expect(vs.spec.hosts).toEqual(['nginx.example.com', 'nginx.default.svc.cluster.local']);
    expect(find(objects, 'Gateway', 'app-gateway').spec.servers[0].hosts).toEqual(['*']);
  });

  test('lets nginx run as root, which its image needs', () => {
    const container = find(objects, 'Deployment', 'nginx-green').spec.template.spec.containers[0];
    expect(container.securityContext).toMatchObject({ runAsNonRoot: false, readOnlyRootFilesystem: false });
  });
});
