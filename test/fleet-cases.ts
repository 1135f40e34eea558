import { Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BlueGreenApp, BlueGreenAppProps, CanaryApp, Color, DataPlane, Fleet, FleetEngine, FleetProps, IstioGateway, ReleaseController, TrafficApi,
} from '../src';

export const LOAD_TEST = 'hey -z 1m -q 10 -c 2 http://backend-canary.webapp:9898/';

/** Seed 002's podinfo backend, released by Flagger. */
export function seedBackendProps(props: Partial<BlueGreenAppProps> = {}): BlueGreenAppProps {
  return {
    port: 9898,
    blue: { image: 'ghcr.io/stefanprodan/podinfo:6.0.0', version: '6.0.0' },
    green: { image: 'ghcr.io/stefanprodan/podinfo:6.0.1', version: '6.0.1' },
    active: Color.GREEN,
    gateway: IstioGateway.fromName('istio-system/public-gateway'),
    hosts: ['backend.webapp'],
    routePolicy: { timeout: Duration.seconds(60) },
    controller: ReleaseController.FLAGGER,
    plan: {
      iterations: 3,
      autoPromotion: true,
      analysis: {
        interval: Duration.seconds(90), minSuccessRate: 99, maxRequestDuration: Duration.millis(500), failureLimit: 2,
        loadTestCommand: LOAD_TEST, loadTestTimeout: Duration.seconds(60),
      },
      flagger: { progressDeadline: Duration.minutes(10) },
    },
    ...props,
  };
}

export interface Built {
  readonly appChart: Chart;
  readonly fleetChart: Chart;
  readonly app: BlueGreenApp;
  readonly fleet: Fleet;
}

/**
 * The seed's scenario: the app's chart, and the fleet's chart with its Application; `withKustomize`
 * adds the seed's second folder, of plain manifests.
 */
export function seedFleet(appProps: Partial<BlueGreenAppProps> = {}, fleetProps: Partial<FleetProps> = {}, withKustomize = true): Built {
  const root = Testing.app();
  const appChart = new Chart(root, 'backend', { namespace: 'webapp' });
  const app = new BlueGreenApp(appChart, 'Backend', seedBackendProps(appProps));
  const fleetChart = new Chart(root, 'fleet', { namespace: 'default' });
  const fleet = new Fleet(fleetChart, 'BlueGreenDemo', {
    engine: FleetEngine.KURATOR,
    name: 'blue-green-demo',
    kuratorFleet: 'quickstart',
    repoUrl: 'https://github.com/stefanprodan/podinfo',
    branch: 'master',
    manifests: [
      { path: './deploy/webapp', app },
      ...withKustomize ? [{ path: './kustomize', targetNamespace: 'default', syncInterval: Duration.minutes(5) }] : [],
    ],
    ...fleetProps,
  });
  return { appChart, fleetChart, app, fleet };
}

/** A fleet of Argo CD over one app, in the chart `fleet` of a new app; `app` makes the release app in its chart. */
export function argoFleet(fleetProps: Partial<FleetProps>, app: (chart: Construct) => BlueGreenApp | CanaryApp = canaryApp): { fleet: Fleet; appChart: Chart; fleetChart: Chart } {
  const root = Testing.app();
  const appChart = new Chart(root, 'payments', { namespace: 'payments' });
  const made = app(appChart);
  const fleetChart = new Chart(root, 'fleet', { namespace: 'argocd' });
  const fleet = new Fleet(fleetChart, 'Payments', {
    engine: FleetEngine.ARGO_CD,
    repoUrl: 'https://github.com/acme/infra',
    manifests: [{ path: 'dist', app: made }],
    ...fleetProps,
  });
  return { fleet, appChart, fleetChart };
}

export function canaryApp(chart: Construct, controller = ReleaseController.ARGO_ROLLOUTS): CanaryApp {
  return new CanaryApp(chart, 'Payments', {
    stable: { image: 'payments:1', version: 'v1' },
    canary: { image: 'payments:2', version: 'v2' },
    controller,
    plan: { steps: [20, 50], pause: Duration.minutes(5) },
  });
}

export { DataPlane, TrafficApi };
