import { FlaggerPodinfoBlueGreen, LOAD_TEST } from '../../examples/flagger-podinfo-blue-green';
import { find } from '../support/manifests';
import { exampleObjects } from './example';

describe('example: seed 002\'s podinfo backend blue/green, run by Flagger', () => {
  // Flagger makes the Services, DestinationRules and VirtualService, and the shared gateway exists.
  const objects = exampleObjects(FlaggerPodinfoBlueGreen, ['Deployment', 'Canary']);
  const canary = find(objects, 'Canary', 'backend');

  test('puts the Deployment and the Canary in webapp-flagger, apart from the static example of the seed', () => {
    expect(objects.map(o => o.metadata.namespace)).toEqual(['webapp-flagger', 'webapp-flagger']);
  });

  test('releases podinfo 6.0.1, the active colour, as the Deployment backend that Flagger watches', () => {
    const deployment = find(objects, 'Deployment', 'backend');
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'backend' });
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/stefanprodan/podinfo:6.0.1');
    expect(canary.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'backend' });
  });

  test('serves backend.webapp-flagger on port 9898 through istio-system/public-gateway, with the seed\'s 60 s timeout', () => {
    expect(canary.spec.provider).toBe('istio');
    expect(canary.spec.service).toEqual({
      port: 9898,
      targetPort: 9898,
      portName: 'http',
      gateways: ['istio-system/public-gateway', 'mesh'],
      hosts: ['backend.webapp-flagger'],
      timeout: '60s',
    });
  });

  test('gives the new version\'s pods the seed\'s 600 s rollout timeout to become ready', () => {
    expect(canary.spec.progressDeadlineSeconds).toBe(600);
  });

  test('tests the new version 3 times every 90 s under the seed\'s load test, and rolls back after 2 failed checks', () => {
    expect(canary.spec.analysis).toEqual({
      interval: '90s',
      threshold: 2,
      iterations: 3,
      metrics: [
        { name: 'request-success-rate', interval: '90s', thresholdRange: { min: 99 } },
        { name: 'request-duration', interval: '90s', thresholdRange: { max: 500 } },
      ],
      // The seed's webhooks.timeoutSeconds is the load test's timeout.
      webhooks: [{ name: 'load-test', type: 'rollout', url: 'http://flagger-loadtester.webapp-flagger/', timeout: '60s', metadata: { type: 'cmd', cmd: LOAD_TEST } }],
    });
    expect(LOAD_TEST).toBe('hey -z 1m -q 10 -c 2 http://backend-canary.webapp-flagger:9898/');
  });
});
