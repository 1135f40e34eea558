import { Chart, Duration, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { seedFleetProps } from '../examples/kurator-fleet';
import { seedBackend } from '../examples/podinfo';
import { BlueGreenApp, BlueGreenAppProps, CanaryApp, Fleet, FleetEngine, FleetProps, ReleaseController } from '../src';

/** Seed 002's podinfo backend, released by Flagger, in the seed's namespace `webapp`. */
export function seedBackendProps(props: Partial<BlueGreenAppProps> = {}): BlueGreenAppProps {
  return { ...seedBackend('webapp'), ...props };
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
  const seed = seedFleetProps(app);
  const manifests = withKustomize ? seed.manifests : seed.manifests.slice(0, 1);
  const fleet = new Fleet(fleetChart, 'BlueGreenDemo', { ...seed, manifests, ...fleetProps });
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

