import path from 'node:path';

/** The repository root, found from this compiled file (build/src/config/ → three levels up). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
