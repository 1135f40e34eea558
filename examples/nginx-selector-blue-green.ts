import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, CutoverMode } from '../src';
import { nginxRelease } from './nginx';

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
    this.app = new BlueGreenApp(this, 'Nginx', {
      ...nginxRelease(),
      cutover: CutoverMode.SERVICE_SELECTOR,
    });
  }
}
