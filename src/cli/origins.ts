import { objectName, spreadLists } from '../verify/graph';
import { Source } from './files';

/** Where the objects of a manifest set came from. */
export interface Origins {
  /** Objects in the set, the items of a `List` counted one by one. */
  readonly objects: number;
  /** The files an object came from, by the name findings give it; several when it is duplicated. */
  filesOf(object: string): readonly string[];
}

/**
 * Findings name only an object, and a user needs the file to open. Objects are named as
 * verifyManifests names them, entries numbered across all files after the items of each `List`
 * are spread out.
 */
export function originsOf(sources: readonly Source[], defaultNamespace: string): Origins {
  const files = new Map<string, string[]>();
  let entry = 0;
  let objects = 0;
  for (const { file, documents } of sources) {
    for (const value of spreadLists(documents)) {
      const index = entry++;
      if (value === null || value === undefined) continue;
      objects++;
      const name = objectName(value, index, defaultNamespace);
      const known = files.get(name) ?? [];
      if (!known.includes(file)) files.set(name, [...known, file]);
    }
  }
  return { objects, filesOf: object => files.get(object) ?? [] };
}
