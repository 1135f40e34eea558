import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, Color, CutoverMode } from '../src';

/**
 * Seed 000, first half: blue/green with no mesh at all. The Service selects `app` plus the active
 * colour's `version`, and the cutover changes that selector from 1.10 to 1.11: no DestinationRule
 * and no VirtualService, so it works in clusters without Istio. In its own namespace, so that it
 * can sit beside the mesh-routed nginx example.
 */
export class NginxSelectorBlueGreen extends Chart {
  public readonly app: BlueGreenApp;

  constructor(scope: Construct, id = 'nginx-selector-blue-green') {
    super(scope, id, { namespace: 'classic' });
    const securityContext = { ensureNonRoot: false, readOnlyRootFilesystem: false };
    this.app = new BlueGreenApp(this, 'Nginx', {
      port: 8080,
      containerPort: 80,
      replicas: 2,
      blue: { image: 'nginx:1.10', version: '1.10', securityContext },
      green: { image: 'nginx:1.11', version: '1.11', securityContext },
      active: Color.GREEN,
      cutover: CutoverMode.SERVICE_SELECTOR,
    });
  }
}
