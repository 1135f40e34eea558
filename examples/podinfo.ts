import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BlueGreenAppProps, Color, IstioGateway, ReleaseController, VersionProps } from '../src';

/** A podinfo version, as the Flagger and Kurator tutorials run it. */
export function podinfo(version: string): VersionProps {
  return {
    image: `ghcr.io/stefanprodan/podinfo:${version}`,
    version,
    readiness: kplus.Probe.fromHttpGet('/readyz'),
    liveness: kplus.Probe.fromHttpGet('/healthz'),
    // The image's USER is the name "app"; the kubelet can only enforce runAsNonRoot on a
    // numeric user, so give the uid that name has in the image.
    securityContext: { user: 100 },
  };
}

/**
 * podinfo's own count of answers by status, which its /metrics serves, for a check of the new
 * pods' 5xx with `AnalysisMetric.prometheus` under either controller.
 */
export const SERVER_ERRORS = 'sum(rate(http_request_duration_seconds_count{namespace="{{namespace}}", app="{{app}}", version="{{version}}", '
  + 'status=~"5.."}[{{window}}]))';

/**
 * Seed 002's release of podinfo `backend` in `namespace`, which Flagger runs (by itself, or made
 * by Kurator): port 9898 through the shared `istio-system/public-gateway` at `backend.<namespace>`,
 * green (6.0.1) released. Flagger tests it for three 90-second rounds under the seed's load test
 * (request success rate at least 99%, P99 duration at most 500 ms, rollback after 2 failed
 * checks), then switches all traffic to it. The new pods get the seed's 10 minutes to become
 * ready (its rolloutTimeoutSeconds), the load tester 60 s to answer (webhooks.timeoutSeconds), and
 * requests the route's 60 s (trafficRouting.timeoutSeconds).
 */
export function seedBackend(namespace: string): BlueGreenAppProps {
  return {
    port: 9898,
    blue: podinfo('6.0.0'),
    green: podinfo('6.0.1'),
    active: Color.GREEN,
    gateway: IstioGateway.fromName('istio-system/public-gateway'),
    hosts: [`backend.${namespace}`],
    routePolicy: { timeout: Duration.seconds(60) },
    controller: ReleaseController.FLAGGER,
    plan: {
      iterations: 3,
      autoPromotion: true,
      analysis: {
        interval: Duration.seconds(90),
        minSuccessRate: 99,
        maxRequestDuration: Duration.millis(500),
        failureLimit: 2,
        loadTestCommand: seedLoadTest(namespace),
        loadTestTimeout: Duration.seconds(60),
      },
      flagger: { progressDeadline: Duration.minutes(10) },
    },
  };
}

/** Seed 002's load test, which the load tester runs against the new version during the analysis. */
export function seedLoadTest(namespace: string): string {
  return `hey -z 1m -q 10 -c 2 http://backend-canary.${namespace}:9898/`;
}
