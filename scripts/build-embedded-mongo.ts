/** `npm run build:db`: builds (or finds cached) the embedded FerretDB launcher and prints its path. */
import { ensureEmbeddedMongoBuilt } from '../src/db/embedded-mongo.js';

ensureEmbeddedMongoBuilt({ info: (message) => console.log(`[build:db] ${message}`) }).then(
  (binary) => console.log(`[build:db] ${binary}`),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
