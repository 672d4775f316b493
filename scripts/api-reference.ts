/**
 * `npm run docs:api`: writes docs/api.md, the API reference, from the service's OpenAPI document.
 * `--stdout` prints the reference instead, `--json` the document (tests compare both with what is
 * committed and with what the service serves).
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../src/config/repo-root.js';
import { renderApiReference } from './api-reference/api-markdown.js';
import { routeDocument } from './api-reference/route-document.js';

export const API_REFERENCE_FILE = path.join(REPO_ROOT, 'docs', 'api.md');

function main(): void {
  const document = routeDocument();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(document)}\n`);
    return;
  }
  const reference = renderApiReference(document);
  if (process.argv.includes('--stdout')) {
    process.stdout.write(reference);
    return;
  }
  fs.mkdirSync(path.dirname(API_REFERENCE_FILE), { recursive: true });
  fs.writeFileSync(API_REFERENCE_FILE, reference);
  console.log(`wrote ${path.relative(REPO_ROOT, API_REFERENCE_FILE)}`);
}

if (require.main === module) main();
