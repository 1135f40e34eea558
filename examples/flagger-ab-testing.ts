import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { BlueGreenApp, CanaryApp, Color, IstioGateway, ReleaseController, RouteMatch, RouteTarget, StringMatch } from '../src';
import { podinfo } from './podinfo';

/**
 * Two more of Flagger's ways, one chart each. A/B testing: testers with the cookie `beta=1` or
 * the header `x-beta: 1` get podinfo 6.0.1 while everyone else keeps 6.0.0; ten passed checks of
 * its success rate and latency, a minute apart, promote it.
 */
export class FlaggerAbTesting extends Chart {
  public readonly app: CanaryApp;

  constructor(scope: Construct, id = 'flagger-ab-testing') {
    super(scope, id, { namespace: 'search' });
    this.app = new CanaryApp(this, 'Search', {
      port: 9898,
      stable: podinfo('6.0.0'),
      canary: podinfo('6.0.1'),
      gateway: IstioGateway.fromName('istio-system/public-gateway'),
      hosts: ['search.example.com'],
      testerRoutes: [
        { name: 'beta-cookie', when: [RouteMatch.cookie('beta', '1')], to: RouteTarget.canary() },
        { name: 'beta-header', when: [RouteMatch.header('x-beta', StringMatch.exact('1'))], to: RouteTarget.canary() },
      ],
      controller: ReleaseController.FLAGGER,
      plan: { iterations: 10, analysis: { interval: Duration.minutes(1) } },
    });
  }
}

/**
 * A blue/green that Flagger runs with a mirror: while it checks podinfo 6.0.1 (green, the colour
 * to be), every request to 6.0.0 is copied to it, so the checks measure real traffic without a
 * load test; Flagger switches once they pass five times.
 */
export class FlaggerMirroredBlueGreen extends Chart {
  public readonly app: BlueGreenApp;

  constructor(scope: Construct, id = 'flagger-mirrored-blue-green') {
    super(scope, id, { namespace: 'catalog' });
    this.app = new BlueGreenApp(this, 'Catalog', {
      port: 9898,
      blue: podinfo('6.0.0'),
      green: podinfo('6.0.1'),
      active: Color.GREEN,
      mirror: { to: RouteTarget.version('6.0.1') },
      controller: ReleaseController.FLAGGER,
      plan: { iterations: 5, autoPromotion: true, analysis: {} },
    });
  }
}
