import { createHash } from 'node:crypto';
import { canonicalJson } from '../../json/canonical-json.js';
import { keyedByClient } from '../../json/object-keys.js';
import type { RuleExplanation, RulesetEvaluation } from '../../engine/ruleset-evaluation.js';
import type { AlertYield, ComposedDecision, ProductYield, TagYield } from '../../engine/decision-outcome.js';
import type { Outcome } from '../../engine/rule-schema.js';
import type { EngineDescription } from '../../engine/semantics.js';

/**
 * What a logged decision holds that does not identify a person: what was decided, by which rule
 * versions, for which caller, and how long it took. It stays after an erasure.
 */
export interface DecisionCore {
  decisionId: string;
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
}

/** What erasure did to an entry; outside the hash, and verify accepts it only with the digest intact. */
export interface Masking {
  at: string;
  by: string;
  fields: string[];
}

/** One immutable entry of the decision log. */
export interface DecisionRecord {
  core: DecisionCore;
  personal: DecisionPersonal | null;
  /** sha256 of the canonical personal part, kept when the part itself is masked. */
  personalDigest: string;
  /** sha256 over the canonical core and the personal digest: what seals chain. */
  hash: string;
  masked: Masking | null;
  idempotency: { keyId: string; key: string; requestHash: string } | null;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function digestPersonal(personal: DecisionPersonal): string {
  return sha256(canonicalJson(personal));
}

export function hashEntry(core: DecisionCore, personalDigest: string): string {
  return hashEntryText(canonicalJson(core), personalDigest);
}

/** The same hash from the core's canonical text: canonicalJson({ core, personalDigest }), keys already in order. */
function hashEntryText(coreText: string, personalDigest: string): string {
  return sha256(`{"core":${coreText},"personalDigest":${JSON.stringify(personalDigest)}}`);
}

/**
 * A record as the log writes it: with the canonical JSON texts of its core and personal part,
 * which are what the hash and digest cover and what the store keeps, byte for byte.
 */
export interface LoggableRecord extends DecisionRecord {
  personal: DecisionPersonal;
  texts: { core: string; personal: string };
  /** A loan application's velocity slot and the state it leaves (JSON text), stored beside the entry. */
  velocity?: { slot: string; times: string };
}

/**
 * Builds a record with its digest and hash. The canonical texts are computed once: JSON has no
 * `undefined` (an absent fact's value), so the texts, not the objects, are what is hashed and stored,
 * and what reads back parses to exactly the content the hash covers.
 */
export function sealableRecord(core: DecisionCore, personal: DecisionPersonal, idempotency: DecisionRecord['idempotency']): LoggableRecord {
  const texts = { core: canonicalJson(core), personal: canonicalJson(personal) };
  const personalDigest = sha256(texts.personal);
  return { core, personal, personalDigest, hash: hashEntryText(texts.core, personalDigest), masked: null, idempotency, texts };
}

/**
 * Why a stored record no longer matches its own hash, or undefined when it does. A masked record
 * is checked on its core and stored digest; an unmasked one on its personal part too.
 */
export function recordProblem(record: DecisionRecord): string | undefined {
  if (hashEntry(record.core, record.personalDigest) !== record.hash) return 'content does not match its hash';
  if (record.personal !== null && digestPersonal(record.personal) !== record.personalDigest) {
    return 'personal data does not match its digest';
  }
  if (record.personal === null && record.masked === null) return 'personal data removed without an erasure';
  return undefined;
}
