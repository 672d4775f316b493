import fs from 'node:fs';
import path from 'node:path';

/** Which rule engine evaluated a decision, as the decision log records it. */
export function engineInfo(): { name: string; version: string } {
  const entry = require.resolve('json-rules-engine');
  let dir = path.dirname(entry);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  return { name: 'json-rules-engine', version };
}
