/** How the ruleset tabs show times, checksums and keys. */

export const formatTime = (iso: string): string => new Date(iso).toLocaleString();

/** "3c08e1f2a9b4…": enough of a SHA-256 to tell versions apart (without the "sha256:" prefix). */
export const shortChecksum = (checksum: unknown): string =>
  typeof checksum === 'string' ? `${checksum.replace(/^sha256:/, '').slice(0, 12)}…` : '—';

/** "key 43fb525f…": enough of a key id to tell two keys of the same name apart. */
export const shortKeyId = (keyId: string | undefined): string =>
  keyId === undefined ? 'key ?' : keyId.length > 12 ? `key ${keyId.slice(0, 8)}…` : `key ${keyId}`;
