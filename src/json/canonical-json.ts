import { createHash } from 'node:crypto';
import { keyedByClient } from './object-keys.js';

/** JSON with object keys sorted at every level, so equal content always serialises to equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    // No prototype: in a plain object, assigning an own `__proto__` key (which JSON.parse makes) would
    // set the prototype instead, and the key would vanish from the text and from every hash of it.
    const sorted = keyedByClient<unknown>();
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) sorted[key] = sortKeys(item);
    }
    return sorted;
  }
  return value;
}

/** `sha256:<hex>` of the canonical JSON. */
export function checksumOf(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex')}`;
}
