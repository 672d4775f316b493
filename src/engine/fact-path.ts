/**
 * Reads `$.a.b[0].c` paths: the only syntax rules may use (checked when a draft is saved). A plain
 * walk is many times faster than a JSONPath engine and cannot run anything a rule author writes.
 */
export type PathReader = (value: unknown) => unknown;

const cache = new Map<string, PathReader>();

export function parsePath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  const pattern = /\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]/g;
  for (const match of path.matchAll(pattern)) segments.push(match[1] !== undefined ? match[1] : Number(match[2]));
  return segments;
}

export function pathReader(path: string): PathReader {
  let reader = cache.get(path);
  if (!reader) {
    const segments = parsePath(path);
    reader = (value) => {
      let current = value;
      for (const segment of segments) {
        // Own properties only, as json-rules-engine's JSONPath reads them: `$.constructor` is no member of a fact.
        if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
        current = (current as Record<string | number, unknown>)[segment];
      }
      return current;
    };
    cache.set(path, reader);
  }
  return reader;
}

export function readPath(value: unknown, path: string): unknown {
  return pathReader(path)(value);
}
