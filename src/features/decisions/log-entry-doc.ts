import { parseInstant } from '../../time/iso-time.js';
import type { DecisionCore, DecisionPersonal, DecisionRecord, LoggableRecord } from './decision-record.js';

/** An entry as the decision log stores it. */
export interface LogDoc extends Omit<DecisionRecord, 'core' | 'personal'> {
  _id: string;
  /**
   * The JSON texts the hash covers, stored as text: what was hashed is what is kept, byte for byte, and
   * the embedded database stores one string ~7× faster than the same content as nested fields.
   */
  core: string;
  /** Null once erasure masked it. */
  personal: string | null;
  createdAt: Date;
  /** Query copies of what the record holds (verify checks each against it); the personal ones are cleared on erasure. */
  profileId: string | null;
  subject?: string;
  outcome: string;
  alertCodes: string[];
  rulesetIds: string[];
  eventType: string | null;
  eventAt: Date | null;
  /**
   * A loan application's velocity slot ("<subject>#<n>", unique: two decisions can never log the same
   * slot, on any instance) and the state it leaves (JSON text); the personal part holds the slot number
   * and the state's digest. Absent on other entries and removed on erasure.
   */
  velocitySlot?: string;
  velocityTimes?: string;
}

/** The copies beside an entry, as stored: what lists, filters and erasure read instead of parsing the entry. */
export type QueryCopies = Pick<
  LogDoc,
  | 'createdAt'
  | 'profileId'
  | 'subject'
  | 'outcome'
  | 'alertCodes'
  | 'rulesetIds'
  | 'eventType'
  | 'eventAt'
  | 'velocitySlot'
  | 'velocityTimes'
>;

/** An entry with the copies stored beside it, as verify reads it. */
export interface StoredEntry {
  record: DecisionRecord;
  copies: QueryCopies;
}

/** The copies an entry must carry, derived from what its hash covers (the personal ones null once masked). */
export function copiesOf(core: DecisionCore, personal: DecisionPersonal | null): Omit<QueryCopies, 'velocitySlot' | 'velocityTimes'> {
  const event = personal?.request.event;
  return {
    createdAt: new Date(core.createdAt),
    profileId: personal?.profileId ?? null,
    ...(core.subject !== undefined && { subject: core.subject }),
    outcome: core.outcome,
    alertCodes: [...new Set(core.alerts.map((alert) => alert.code))],
    rulesetIds: core.rulesets.map((ruleset) => ruleset.id),
    eventType: event ? String(event.type) : null,
    // Read as the facts read it; never an invalid Date, which the driver would store as 1970-01-01.
    eventAt: event ? (parseInstant(event.at) ?? null) : null,
  };
}

export function toDoc({ core, personal, texts, personalDigest, hash, masked, idempotency, velocity }: LoggableRecord): LogDoc {
  return {
    _id: core.decisionId,
    ...copiesOf(core, personal),
    core: texts.core,
    personal: texts.personal,
    personalDigest,
    hash,
    masked,
    idempotency,
    ...(velocity && { velocitySlot: velocity.slot, velocityTimes: velocity.times }),
  };
}

export function fromDoc(doc: LogDoc): DecisionRecord {
  return {
    core: JSON.parse(doc.core) as DecisionCore,
    personal: doc.personal === null ? null : (JSON.parse(doc.personal) as DecisionPersonal),
    personalDigest: doc.personalDigest,
    hash: doc.hash,
    masked: doc.masked,
    idempotency: doc.idempotency,
    texts: { core: doc.core, personal: doc.personal },
  };
}

export function storedEntryOf(doc: LogDoc): StoredEntry {
  const { createdAt, profileId, subject, outcome, alertCodes, rulesetIds, eventType, eventAt, velocitySlot, velocityTimes } = doc;
  return {
    record: fromDoc(doc),
    copies: { createdAt, profileId, subject, outcome, alertCodes, rulesetIds, eventType, eventAt, velocitySlot, velocityTimes },
  };
}

/** Whether an entry's canonical core text names this subject, without parsing it (a quote inside a value is escaped). */
export const coreNamesSubject = (coreText: string, subject: string): boolean => coreText.includes(`"subject":${JSON.stringify(subject)}`);
