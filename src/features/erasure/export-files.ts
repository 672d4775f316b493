import fs from 'node:fs';
import path from 'node:path';

/**
 * Removes a profile id from the segment export files (`<dataDir>/exports/*.ndjson`, one `{"profileId"}`
 * a line): each file that names it is rewritten without that line, under a temporary name then renamed,
 * so that a reader never sees half a file. Answers how many files changed.
 */
export function eraseFromExportFiles(dataDir: string, profileId: string): number {
  const dir = path.join(dataDir, 'exports');
  if (!fs.existsSync(dir)) return 0;
  const line = JSON.stringify({ profileId });
  let changed = 0;
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.ndjson')) continue;
    const file = path.join(dir, name);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const kept = lines.filter((text) => text !== line);
    if (kept.length === lines.length) continue;
    const partial = `${file}.erasure.partial`;
    fs.writeFileSync(partial, kept.join('\n'));
    fs.renameSync(partial, file);
    changed += 1;
  }
  return changed;
}
