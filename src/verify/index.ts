export { CODES, ISTIO_CODES, Severity } from './types';
export type { Code, Finding, MeshConfigOptions, ProxyConfigOptions, VerifyOptions } from './types';
export type { StageFinding } from './progression';
export { Verify, verifyManifests, verifyProgression } from './verify';
