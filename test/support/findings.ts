import { CODES, Finding, VerifyOptions, verifyManifests } from '../../src/verify';

/** verifyManifests, plus the promises every finding keeps: its code's one severity, and a lower-case message. */
export function verifiedFindings(objects: unknown[], options?: VerifyOptions): Finding[] {
  const findings = verifyManifests(objects, options);
  for (const f of findings) {
    expect({ code: f.code, severity: f.severity }).toEqual({ code: f.code, severity: CODES[f.code as keyof typeof CODES] });
    expect({ code: f.code, start: f.message[0] }).toEqual({ code: f.code, start: f.message[0].toLowerCase() });
  }
  return findings;
}
