import fs from 'node:fs';
import path from 'node:path';

export const FIXTURES_DIR = path.join(__dirname, '..', '..', '..', 'fixtures');

/** Reads a JSON fixture by its path under fixtures/, e.g. 'profiles/sme-shenzhen.json'. */
export function fixture<T = any>(relativePath: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, relativePath), 'utf8')) as T;
}
