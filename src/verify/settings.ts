import { own, text } from './json';
import { VerifyOptions } from './types';

/** VerifyOptions with defaults applied and junk dropped: options may come from a CLI or a config file. */
export interface Settings {
  readonly externalHosts: readonly string[];
  readonly externalGateways: ReadonlySet<string>;
  readonly requireWeightSum100: boolean;
  readonly defaultNamespace: string;
}

export function settingsFrom(options: VerifyOptions | undefined): Settings {
  const given: unknown = options;
  return {
    externalHosts: stringList(own(given, 'externalHosts')),
    externalGateways: new Set(stringList(own(given, 'externalGateways'))),
    requireWeightSum100: own(given, 'requireWeightSum100') === true,
    defaultNamespace: text(given, 'defaultNamespace') ?? 'default',
  };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

