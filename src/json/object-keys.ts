/**
 * Keys a client names. A lookup in a plain object finds what Object.prototype holds (the ruleset
 * "constructor" is a function), and assigning `__proto__` replaces the prototype instead of adding a key,
 * so the key silently vanishes from logs and hashes. The service refuses these names wherever a client
 * names a key, and keeps maps keyed by client input in `Map`s or objects without a prototype.
 */
export const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** JSON Schema: a key (inside `propertyNames`) or an id that becomes a key is none of RESERVED_KEYS. */
export const notReservedKey = { not: { enum: RESERVED_KEYS } } as const;

/**
 * JSON Schema of a key a client adds to profile attributes or to an event: no '.' or '$' (MongoDB-compatible
 * servers reject them; FerretDB always does), and none of the names every JavaScript object already has.
 */
export const extensionKeySchema = { pattern: '^[A-Za-z_][A-Za-z0-9_-]{0,63}$', ...notReservedKey } as const;

/** What a person reads when a key or id is refused for being reserved. */
export const RESERVED_KEY_MESSAGE = 'must not be __proto__, constructor or prototype';

export function isReservedKey(key: string): boolean {
  return (RESERVED_KEYS as readonly string[]).includes(key);
}

/** An empty object for keys a client or a rule author chose: it has no prototype, so no key is special. */
export function keyedByClient<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
