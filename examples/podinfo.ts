import * as kplus from 'cdk8s-plus-27';
import { VersionProps } from '../src';

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
