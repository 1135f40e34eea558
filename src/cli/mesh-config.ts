import { isDns1123Label } from '../names';
import { entryField, isRecord } from '../show';
import { MeshConfigOptions } from '../verify';
import { own, show } from '../verify/json';
import { EXPORT_TO_ENTRY_FORM, isExportToEntry } from '../verify/settings';
import { MESH_CONFIG_FIELDS } from '../verify/types';
import { lastValue, ParsedArgs } from './args';
import { InputError } from './command';
import { readRegularFile } from './files';
import { parseManifests } from './yaml';

/** A MeshConfig is a few kilobytes; a file far larger is not one. */
const MAX_MESH_CONFIG_BYTES = 2 ** 20;

const WRITE_MESH_KEY = 'write the mesh key of the istio ConfigMap, e.g. kubectl -n istio-system get configmap istio -o jsonpath=\'{.data.mesh}\'';

/**
 * `--mesh-config <file>`: the mesh's MeshConfig, as `istioctl analyze --meshConfigFile` takes it
 * (the `mesh` key of the `istio` ConfigMap). Fields verify does not model are left alone, since a
 * MeshConfig holds many.
 */
export function meshConfigOf(parsed: ParsedArgs): MeshConfigOptions {
  const file = lastValue(parsed, 'mesh-config');
  if (file === undefined) return {};
  const { text } = readRegularFile(file, MAX_MESH_CONFIG_BYTES,
    'larger than 1Mi, which no MeshConfig is; give the mesh key of the istio ConfigMap, not a whole dump');
  const { documents } = parseManifests(file, text);
  const [config] = documents;
  if (documents.length !== 1 || !isRecord(config)) {
    throw new InputError(`${file}: not a MeshConfig, which is one YAML mapping; ${WRITE_MESH_KEY}`);
  }
  // The istio ConfigMap itself holds the MeshConfig as text under data.mesh: read as one, it would set nothing.
  if (own(config, 'kind') !== undefined || own(config, 'apiVersion') !== undefined) {
    throw new InputError(`${file}: a Kubernetes object (it has apiVersion or kind), not a MeshConfig; ${WRITE_MESH_KEY}`);
  }
  const options: { [field: string]: string[] } = {};
  for (const field of MESH_CONFIG_FIELDS) {
    const value = own(config, field);
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every(entry => typeof entry === 'string' && isExportToEntry(entry))) {
      throw new InputError(`${file}: ${field} must be a list, each entry ${EXPORT_TO_ENTRY_FORM}, not ${show(value)}; e.g. ["."]`);
    }
    options[field] = value;
  }
  const rootNamespace = own(config, 'rootNamespace');
  if (rootNamespace !== undefined && (typeof rootNamespace !== 'string' || !isDns1123Label(rootNamespace))) {
    throw new InputError(`${file}: rootNamespace must be a namespace (a DNS-1123 label), not ${show(rootNamespace)}; e.g. istio-system`);
  }
  return { ...options, rootNamespace, defaultConfig: { proxyMetadata: proxyMetadataOf(file, own(config, 'defaultConfig')) } };
}

/** The `proxyMetadata` of the MeshConfig's `defaultConfig`, whose other fields verify does not read; Istio takes only strings in it. */
function proxyMetadataOf(file: string, defaultConfig: unknown): { [name: string]: string } | undefined {
  if (defaultConfig === undefined) return undefined;
  if (!isRecord(defaultConfig)) throw new InputError(`${file}: defaultConfig must be a mapping, not ${show(defaultConfig)}; e.g. { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } }`);
  const metadata = own(defaultConfig, 'proxyMetadata');
  if (metadata === undefined) return undefined;
  if (!isRecord(metadata)) throw new InputError(`${file}: defaultConfig.proxyMetadata must be a mapping, not ${show(metadata)}; e.g. { ISTIO_META_DNS_CAPTURE: "true" }`);
  for (const [name, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new InputError(`${file}: ${entryField('defaultConfig.proxyMetadata', name)} must be a string, not ${show(value)}; quote it, e.g. "true"`);
  }
  return metadata as { [name: string]: string };
}
