import { canonicalJson } from '../../json/canonical-json.js';
import { keyedByClient } from '../../json/object-keys.js';
import type { RuleExplanation, RulesetEvaluation } from '../../engine/ruleset-evaluation.js';
import type { RuleLayout } from '../../engine/explanation-layout.js';
import type { AlertYield, ComposedDecision, ProductYield, TagYield } from '../../engine/decision-outcome.js';
import type { Outcome } from '../../engine/rule-schema.js';
import type { EngineDescription } from '../../engine/semantics.js';
import type { PrincipalReason } from '../../engine/principal-reasons.js';

/**
 * A principal reason as logged: `[code, index of its ruleset in core.rulesets, rule]`, its text the
 * version's (read back from its catalogue); entries logged before held the whole reason.
 */
export type LoggedReason = [code: string, ruleset: number, rule: string] | PrincipalReason;

/** A principal reason as logged, for an entry: what the caller was told but the text. */
export const loggedReason = (reason: PrincipalReason, rulesets: readonly { id: string }[]): LoggedReason => [
  reason.code,
  rulesets.findIndex((ruleset) => ruleset.id === reason.ruleset),
  reason.rule,
];

/** The logged reasons of a core, each with its ruleset and version; `text` absent where the entry left it to the version. */
export function reasonsOfCore(core: Pick<DecisionCore, 'reasons' | 'rulesets'>): (Omit<PrincipalReason, 'text'> & { text?: string })[] {
  return (core.reasons ?? []).map((reason) => {
    if (!Array.isArray(reason)) return reason;
    const [code, index, rule] = reason;
    const ruleset = core.rulesets[index];
    return { code, ruleset: ruleset?.id ?? '', version: ruleset?.version ?? 0, rule };
  });
}
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
  /** The revision of each list the rulesets name, as the decision saw it (absent when no rule reads a list). */
  lists?: Record<string, number>;
  outcome: Outcome;
  score: number;
  tags: string[];
  /**
   * Which rules fired, per ruleset of `rulesets` (same order): one character a rule of the version in
   * evaluation order, "1" fired, "0" not. With the version, it says which rule yielded each tag: reports
   * count from the core, which survives erasure.
   */
  fired?: string[];
  /** Entries logged before `fired`: which rule yielded each tag. */
  tagSources?: TagYield[];
  /** Entries logged before `fired`: every rule that fired, by ruleset and version. */
  firedRules?: { ruleset: string; version: number; rule: string }[];
  products: Omit<ProductYield, 'message'>[];
  alerts: Omit<AlertYield, 'message'>[];
  /**
   * The principal reasons told to the applicant ([] for approve), at most REASONS_MAX: no personal data,
   * so they stay after an erasure (the notice given must remain provable). Logged without their text,
   * which the version's catalogue (immutable, checksummed) gives back on read (entries logged before
   * held it). Absent on entries logged before reasons existed.
   */
  reasons?: LoggedReason[];
  timings: { totalMs: number; factsMs: number; evaluateMs: number };
}

/**
 * The fields of the core that say what was decided, from the composed rule results (messages go to the
 * personal part). Which rules fired is kept as `fired` when every evaluation follows its version's layout
 * (always, with the service's evaluators), else as the lists entries held before.
 */
export function decidedFields(
  composed: ComposedDecision,
  evaluations: readonly RulesetEvaluation[],
  layouts: readonly (readonly RuleLayout[])[],
): Pick<DecisionCore, 'outcome' | 'score' | 'tags' | 'fired' | 'tagSources' | 'firedRules' | 'products' | 'alerts'> {
  const fired = firedMarks(evaluations, layouts);
  return {
    outcome: composed.outcome,
    score: composed.score,
    tags: composed.tags,
    ...(fired ? { fired } : { tagSources: composed.tagSources, firedRules: composed.firedRules }),
    products: composed.products.map(({ message: _message, ...product }) => product),
    alerts: composed.alerts.map(({ message: _message, ...alert }) => alert),
  };
}

function firedMarks(evaluations: readonly RulesetEvaluation[], layouts: readonly (readonly RuleLayout[])[]): string[] | undefined {
  const marks: string[] = [];
  for (const [index, { rules }] of evaluations.entries()) {
    const layout = layouts[index];
    if (!layout || layout.length !== rules.length || rules.some((rule, position) => rule.rule !== layout[position]!.name)) return undefined;
    // A snoozed rule yielded nothing: it is not counted as fired (reports, tag provenance).
    marks.push(rules.map((rule) => (rule.fired && !rule.snoozed ? '1' : '0')).join(''));
  }
  return marks;
}

/**
 * The rules of one ruleset of `core.rulesets` (at `index`) that fired, with the tag each yielded (if any),
 * read from `fired` along the version's layout, or from the lists entries logged before held.
 */
export function firedRulesOf(
  core: DecisionCore,
  index: number,
  layout: readonly RuleLayout[] | undefined,
): { rule: string; tag?: string }[] {
  const { id, version } = core.rulesets[index]!;
  const marks = core.fired?.[index];
  if (marks === undefined) {
    const tags = new Map(
      (core.tagSources ?? []).filter((tag) => tag.ruleset === id && tag.version === version).map((tag) => [tag.rule, tag.tag]),
    );
    return (core.firedRules ?? [])
      .filter((rule) => rule.ruleset === id && rule.version === version)
      .map(({ rule }) => (tags.has(rule) ? { rule, tag: tags.get(rule)! } : { rule }));
  }
  if (!layout || layout.length !== marks.length) return [];
  return layout.flatMap(({ name, event }, position) => {
    if (marks[position] !== '1') return [];
    return event.type === 'tag' ? [{ rule: name, tag: event.params.tag as string }] : [{ rule: name }];
  });
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
  /**
   * Per evaluated ruleset, in the order of `core.rulesets`: what its explanations hold beyond the facts and
   * the version (engine/explanation-codec.ts), from which they are rebuilt on read; or, where they cannot
   * be rebuilt that way, its explanations whole.
   */
  leafResults?: (string | RuleExplanation[])[];
  /** Every rule's explanation, whole: entries logged before leaf results. */
  explanations?: RuleExplanation[];
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
  /** sha256 of the personal part's stored text, kept when the part itself is masked. */
  personalDigest: string;
  /** HMAC-SHA-256 with the seal key (SHA-256 without one) over the core's stored text and the personal digest: what seals chain. */
  hash: string;
  masked: Masking | null;
  idempotency: { keyId: string; key: string; requestHash: string } | null;
  /** The JSON texts the core and personal part are stored as (null once masked): what the hash and digest cover. */
  texts?: { core: string; personal: string | null };
}

/** What an entry's hash covers: the JSON `{"core": <core text>, "personalDigest": ...}`. */
function entryHashText(coreText: string, personalDigest: string): string {
  return `{"core":${coreText},"personalDigest":${JSON.stringify(personalDigest)}}`;
}

/**
 * A record as the log writes it: with the JSON texts of its core and personal part, which are what the
 * hash and digest cover and what the store keeps, byte for byte.
 */
export interface LoggableRecord extends DecisionRecord {
  personal: DecisionPersonal;
  texts: { core: string; personal: string };
  /** A loan application's velocity slot and the state it leaves (JSON text), stored beside the entry (personal.velocity holds their digest). */
  velocity?: { slot: string; times: string };
}

/**
 * Builds a record with its digest and hash. Each part is serialised once, and that text is what is hashed
 * and stored: JSON has no `undefined` (an absent fact's value), so what reads back parses to exactly the
 * content the hash covers. Keys stay in the order the service wrote them (no sorting): verify hashes the
 * stored texts, never a re-serialisation (entries logged before kept canonical texts, which verify alike).
 */
export function sealableRecord(
  core: DecisionCore,
  personal: DecisionPersonal,
  idempotency: DecisionRecord['idempotency'],
  key: EvidenceKey,
): LoggableRecord {
  const texts = { core: JSON.stringify(core), personal: JSON.stringify(personal) };
  const personalDigest = sha256(texts.personal);
  return { core, personal, personalDigest, hash: key.hash(entryHashText(texts.core, personalDigest)), masked: null, idempotency, texts };
}

/**
 * Checks a stored record against its own hash: answers why it no longer matches, or how its hash was
 * made (keyed or plain). A masked record is checked on its core and stored digest; an unmasked one on
 * its personal part too. Whether a mask is backed by an erasure is the verifier's question.
 */
export function checkRecord(record: DecisionRecord, key: EvidenceKey): { problem: string } | { kind: HashKind } {
  const coreText = record.texts?.core ?? canonicalJson(record.core);
  const kind = key.check(record.hash, entryHashText(coreText, record.personalDigest));
  if (kind === undefined) return { problem: 'content does not match its hash' };
  const personalText = record.personal === null ? null : (record.texts?.personal ?? canonicalJson(record.personal));
  if (personalText !== null && sha256(personalText) !== record.personalDigest) {
    return { problem: 'personal data does not match its digest' };
  }
  if (record.personal === null && record.masked === null) return { problem: 'personal data removed without an erasure' };
  return { kind };
}
