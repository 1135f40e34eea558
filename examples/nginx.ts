import { Color } from '../src';

/**
 * Seed 000's release: nginx 1.10 (blue) to 1.11 (green), two replicas each, Service port 8080 to
 * container port 80, after the cutover to green. The nginx image runs as root and writes to
 * /var/cache/nginx, so it cannot keep cdk8s-plus's non-root, read-only defaults.
 */
export function nginxRelease() {
  const securityContext = { ensureNonRoot: false, readOnlyRootFilesystem: false };
  return {
    port: 8080,
    containerPort: 80,
    replicas: 2,
    blue: { image: 'nginx:1.10', version: '1.10', securityContext },
    green: { image: 'nginx:1.11', version: '1.11', securityContext },
    active: Color.GREEN,
  };
}
