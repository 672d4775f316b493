import type { Database } from '../../src/db/database.js';
import { EvidenceKey } from '../../src/crypto/evidence-key.js';
import { AuditEventStore } from '../../src/features/audit/audit-event-store.js';
import { DecisionLogStore } from '../../src/features/decisions/decision-log-store.js';
import { DecisionSealer } from '../../src/features/decisions/decision-sealer.js';
import { SealStore } from '../../src/features/decisions/seal-store.js';

/** A sealer on the test's own connection, as another instance's seal job would run it (lag 0: everything is due). */
export function testSealer(database: Database, sealKey?: string): DecisionSealer {
  const { connection } = database;
  return new DecisionSealer(
    new DecisionLogStore(connection),
    new AuditEventStore(connection),
    new SealStore(connection),
    new EvidenceKey(sealKey),
    'test',
    0,
  );
}
