export { CODES, Severity } from './types';
export type { Code, Finding, VerifyOptions } from './types';
export { verifyManifests } from './verify-manifests';
export { verifyProgression } from './progression';
export type { StageFinding } from './progression';
export { Verify } from './verify';
