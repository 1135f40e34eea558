import { NginxSelectorBlueGreen } from '../../examples/nginx-selector-blue-green';
import { deploymentsSelectedBy, find } from '../support/manifests';
import { exampleObjects } from './example';

describe('example: nginx 1.10 -> 1.11 blue/green by Service selector, no mesh (seed 000)', () => {
  const objects = exampleObjects(NginxSelectorBlueGreen, ['Deployment', 'Deployment', 'Service']);

  test('the Service selects green (1.11) alone, as the seed\'s cutover edit does', () => {
    const service = find(objects, 'Service', 'nginx');
    expect(service.spec.selector).toEqual({ app: 'nginx', version: '1.11' });
    expect(deploymentsSelectedBy(objects, service.spec.selector)).toEqual(['nginx-green']);
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 80 }]);
  });

  test('keeps both colours running, 2 replicas each, in its own namespace', () => {
    expect(objects.filter(o => o.kind === 'Deployment').map(o => [o.metadata.name, o.metadata.namespace, o.spec.replicas]))
      .toEqual([['nginx-blue', 'classic', 2], ['nginx-green', 'classic', 2]]);
  });
});
