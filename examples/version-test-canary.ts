import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CanaryApp, IstioGateway } from '../src';

/**
 * Seed 003: version-test v1 and v2 split 90/10 through `canary-gateway`. The seed's subsets
 * selected `app: v1` and `app: v2` and its Service `apply: canary`; here every pod carries
 * `app: version-test` and its `version`, and the subsets select `version`.
 */
export class VersionTestCanary extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'version-test-canary') {
    super(scope, id, { namespace: 'default' });
    const gateway = new IstioGateway(this, 'Gateway', { name: 'canary-gateway', hosts: ['*'] });
    const image = (tag: string) => `harbor.example.com/library/version-test:${tag}`;
    const imagePullPolicy = kplus.ImagePullPolicy.IF_NOT_PRESENT;
    this.app = new CanaryApp(this, 'VersionTest', {
      name: 'version-test',
      replicas: 1,
      stable: { image: image('v1'), version: 'v1', imagePullPolicy },
      canary: { image: image('v2'), version: 'v2', imagePullPolicy },
      canaryWeight: 10,
      gateway,
      hosts: ['version-test.example.com'],
    });
  }
}
