/**
 * Seed 001's release: the weather app, Hyderabad (v1) stable and New York (v2) canary, port 80
 * to the app's 5000, two replicas each. The Git-walked and the Argo Rollouts examples share it.
 */
export function weatherRelease() {
  return {
    name: 'weather-test-app',
    port: 80,
    containerPort: 5000,
    replicas: 2,
    stable: { image: 'docker.io/atulinfracloud/weathersample:v1', version: 'v1' },
    canary: { image: 'docker.io/atulinfracloud/weathersample:v2', version: 'v2' },
  };
}
