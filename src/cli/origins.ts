import { objectName, spreadLists } from '../verify/graph';
import { Source } from './files';
import { Position } from './locate';

/** A line and column in a file. */
export interface Location extends Position {
  readonly file: string;
}

/** Where the objects of a manifest set came from. */
export interface Origins {
  /** Objects in the set, the items of a `List` counted one by one. */
  readonly objects: number;
  /** The files an object came from, by the name findings give it; several when it is duplicated. */
  filesOf(object: string): readonly string[];
  /**
   * Where the field `path` of an object is written, once for every time the object is in the
   * set; an empty path is the object itself. Each file read again only here, for the objects asked.
   */
  locationsOf(object: string, path: string): readonly Location[];
}

/** One entry of the set: a document, or an item of a `List` document. */
interface Entry {
  readonly source: Source;
  readonly document: number;
  /** `items[2]` for an item of a `List`, from where the finding's path goes on. */
  readonly item: string;
}

/**
 * Findings name only an object, and a user needs the file to open. Objects are named as
 * verifyManifests names them, entries numbered across all files after the items of each `List`
 * are spread out.
 */
export function originsOf(sources: readonly Source[], defaultNamespace: string): Origins {
  const entries = new Map<string, Entry[]>();
  let index = 0;
  let objects = 0;
  for (const source of sources) {
    source.documents.forEach((value, document) => {
      const items = spreadLists([value]);
      const listed = items.length !== 1 || items[0] !== value;
      items.forEach((item, i) => {
        const at = index++;
        if (item === null || item === undefined) return;
        objects++;
        const name = objectName(item, at, defaultNamespace);
        const entry = { source, document, item: listed ? `items[${i}]` : '' };
        const known = entries.get(name);
        if (known) known.push(entry);
        else entries.set(name, [entry]);
      });
    });
  }
  return {
    objects,
    filesOf: object => [...new Set((entries.get(object) ?? []).map(entry => entry.source.file))],
    locationsOf: (object, path) => (entries.get(object) ?? []).map(({ source, document, item }) =>
      ({ file: source.file, ...source.locate(document, fieldOf(item, path)) })),
  };
}

/** The path of a field of a `List` item within its document. */
function fieldOf(item: string, path: string): string {
  return item === '' || path === '' || path.startsWith('[') ? item + path : `${item}.${path}`;
}
