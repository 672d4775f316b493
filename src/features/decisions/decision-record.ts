import { canonicalJson } from '../../json/canonical-json.js';
import { keyedByClient } from '../../json/object-keys.js';
import type { RuleExplanation, RulesetEvaluation } from '../../engine/ruleset-evaluation.js';
import type { AlertYield, ComposedDecision, ProductYield, TagYield } from '../../engine/decision-outcome.js';
import type { Outcome } from '../../engine/rule-schema.js';
import type { EngineDescription } from '../../engine/semantics.js';
import type { PrincipalReason } from '../../engine/principal-reasons.js';
import { type EvidenceKey, type HashKind, sha256 } from '../../crypto/evidence-key.js';

/**
 * What a logged decision holds that does not identify a person: what was decided, by which rule
 * versions, for which caller, and how long it took. It stays after an erasure.
 */
export interface DecisionCore {
  decisionId: string;
  /**
   * Whom the decision is about, without saying who: sha256(salt ':' profileId), the salt drawn when the
   * profile was created and deleted with it. Erasure finds the entries by it and records it; nothing
   * links it to a later profile with the same id. Absent on entries logged before subjects existed.
   */
  subject?: string;
  createdAt: string;
  evaluatedAt: string;
  requestId: string;
  caller: { keyId: string; name: string };
  rulesets: { id: string; version: number; checksum: string }[];
  /** The evaluator and, since the semantics have a name, `semantics` (older entries: see loggedSemantics). */
  engine: EngineDescription;
  outcome: Outcome;
  score: number;
  tags: string[];
  /** Which rule yielded each tag: reports count from the core, which survives erasure. */
  tagSources: TagYield[];
  /** Every rule that fired, by ruleset and version. */
  firedRules: { ruleset: string; version: number; rule: string }[];
  products: Omit<ProductYield, 'message'>[];
  alerts: Omit<AlertYield, 'message'>[];
  /**
   * The principal reasons told to the applicant ([] for approve), at most REASONS_MAX: ruleset text, no
   * personal data, so they stay after an erasure (the notice given must remain provable). Absent on
   * entries logged before reasons existed.
   */
  reasons?: PrincipalReason[];
  timings: { totalMs: number; factsMs: number; evaluateMs: number };
}

/** The fields of the core that say what was decided, from the composed rule results (messages go to the personal part). */
export function decidedFields(
  composed: ComposedDecision,
): Pick<DecisionCore, 'outcome' | 'score' | 'tags' | 'tagSources' | 'firedRules' | 'products' | 'alerts'> {
  return {
    outcome: composed.outcome,
    score: composed.score,
    tags: composed.tags,
    tagSources: composed.tagSources,
    firedRules: composed.firedRules,
    products: composed.products.map(({ message: _message, ...product }) => product),
    alerts: composed.alerts.map(({ message: _message, ...alert }) => alert),
  };
}

/** Rendered messages of fired rules, keyed by "ruleset/rule". */
export function renderedMessages(evaluations: RulesetEvaluation[]): Record<string, string> {
  const messages = keyedByClient<string>();
  for (const rule of evaluations.flatMap((evaluation) => evaluation.rules)) {
    if (rule.message !== undefined) messages[`${rule.ruleset}/${rule.rule}`] = rule.message;
  }
  return messages;
}

/** The part of a logged decision that is about the customer: masked on erasure. */
export interface DecisionPersonal {
  profileId: string;
  request: { profileId: string; event: Record<string, unknown>; rulesets?: string[]; versions?: Record<string, number> };
  facts: Record<string, unknown>;
  explanations: RuleExplanation[];
  /** Rendered messages, which may quote customer data, keyed by "ruleset/rule". */
  messages: Record<string, string>;
  /** A loan application's velocity slot number and the digest of the state it leaves (the copies beside the entry must match). */
  velocity?: { n: number; timesDigest: string };
  /** The snoozes that held for rules this decision evaluated (absent when none did): what replay applies again. */
  snoozes?: { snoozeId: string; ruleset: string; rule: string; until: string }[];
}

/**
 * What erasure did to an entry; outside the hash. Verify accepts it only with the digest intact and
 * when `erasure` names an audit event that erased this entry's subject.
 */
export interface Masking {
  at: string;
  by: string;
  fields: string[];
  /** The id of the audit event of the erasure (absent on masks made before erasures were linked). */
  erasure?: string;
}

/** One immutable entry of the decision log. */
export interface DecisionRecord {
  core: DecisionCore;
  personal: DecisionPersonal | null;
  /** sha256 of the canonical personal part, kept when the part itself is masked. */
  personalDigest: string;
  /** HMAC-SHA-256 with the seal key (SHA-256 without one) over the canonical core and the personal digest: what seals chain. */
  hash: string;
  masked: Masking | null;
  idempotency: { keyId: string; key: string; requestHash: string } | null;
}

export function digestPersonal(personal: DecisionPersonal): string {
  return sha256(canonicalJson(personal));
}

/** What an entry's hash covers: canonicalJson({ core, personalDigest }), from the core's canonical text (keys already in order). */
function entryHashText(coreText: string, personalDigest: string): string {
  return `{"core":${coreText},"personalDigest":${JSON.stringify(personalDigest)}}`;
}

/**
 * A record as the log writes it: with the canonical JSON texts of its core and personal part,
 * which are what the hash and digest cover and what the store keeps, byte for byte.
 */
export interface LoggableRecord extends DecisionRecord {
  personal: DecisionPersonal;
  texts: { core: string; personal: string };
  /** A loan application's velocity slot and the state it leaves (JSON text), stored beside the entry (personal.velocity holds their digest). */
  velocity?: { slot: string; times: string };
}

/**
 * Builds a record with its digest and hash. The canonical texts are computed once: JSON has no
 * `undefined` (an absent fact's value), so the texts, not the objects, are what is hashed and stored,
 * and what reads back parses to exactly the content the hash covers.
 */
export function sealableRecord(
  core: DecisionCore,
  personal: DecisionPersonal,
  idempotency: DecisionRecord['idempotency'],
  key: EvidenceKey,
): LoggableRecord {
  const texts = { core: canonicalJson(core), personal: canonicalJson(personal) };
  const personalDigest = sha256(texts.personal);
  return { core, personal, personalDigest, hash: key.hash(entryHashText(texts.core, personalDigest)), masked: null, idempotency, texts };
}

/**
 * Checks a stored record against its own hash: answers why it no longer matches, or how its hash was
 * made (keyed or plain). A masked record is checked on its core and stored digest; an unmasked one on
 * its personal part too. Whether a mask is backed by an erasure is the verifier's question.
 */
export function checkRecord(record: DecisionRecord, key: EvidenceKey): { problem: string } | { kind: HashKind } {
  const kind = key.check(record.hash, entryHashText(canonicalJson(record.core), record.personalDigest));
  if (kind === undefined) return { problem: 'content does not match its hash' };
  if (record.personal !== null && digestPersonal(record.personal) !== record.personalDigest) {
    return { problem: 'personal data does not match its digest' };
  }
  if (record.personal === null && record.masked === null) return { problem: 'personal data removed without an erasure' };
  return { kind };
}
