import { type EvidenceKey, sha256 } from '../../crypto/evidence-key.js';
import type { ComposedDecision } from '../../engine/decision-outcome.js';
import type { RulesetEvaluation, RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import type { EngineDescription } from '../../engine/semantics.js';
import type { DecisionEvent } from '../../facts/decision-event.js';
import type { Caller } from '../../auth/roles.js';
import type { PrincipalReason } from '../../engine/principal-reasons.js';
import type { ActiveSnooze } from '../profiles/active-snooze.js';
import { decidedFields, loggedReason, renderedMessages, sealableRecord, type LoggableRecord } from './decision-record.js';
import type { DecisionRequest } from './decision-schema.js';
import { leafResultsOf } from './logged-explanations.js';
import { timesText, velocitySlot, type VelocityHead } from './velocity-history.js';

/** Everything one evaluation of a decision produced, to be logged as one entry. */
export interface EntryParts {
  decisionId: string;
  subject: string;
  request: DecisionRequest;
  /** The request's event with its time (stamped when the client sent none). */
  event: DecisionEvent;
  caller: Caller;
  requestId: string;
  idempotency: { key: string; requestHash: string } | undefined;
  rulesets: readonly RulesetEvaluator[];
  engine: EngineDescription;
  facts: Record<string, unknown>;
  evaluations: RulesetEvaluation[];
  composed: ComposedDecision;
  evaluatedAt: Date;
  /** The principal reasons the answer carries (already capped at REASONS_MAX). */
  reasons: PrincipalReason[];
  /** The revision of each list its rulesets read, as this decision saw them (replay rebuilds them). */
  lists?: Record<string, number>;
  /** The snoozes that held for the profile (logged so that replay applies them again). */
  snoozes?: ActiveSnooze[];
  timings: { totalMs: number; factsMs: number; evaluateMs: number };
  /** A loan application's velocity state once it is logged (it takes slot `next.n`). */
  next: VelocityHead | undefined;
}

/** The log entry of one evaluated decision, hashed (and keyed) as the log stores it. */
export function decisionEntry(parts: EntryParts, key: EvidenceKey): LoggableRecord {
  const { decisionId, subject, request, event, caller, rulesets, evaluations, facts, next } = parts;
  const velocity = next && { slot: velocitySlot(subject, next.n), times: timesText(next.times) };
  const sealable = sealableRecord(
    {
      decisionId,
      subject,
      createdAt: new Date().toISOString(),
      evaluatedAt: parts.evaluatedAt.toISOString(),
      requestId: parts.requestId,
      caller: { keyId: caller.keyId, name: caller.name },
      rulesets: rulesets.map(({ identity }) => ({ id: identity.id, version: identity.version, checksum: identity.checksum })),
      engine: parts.engine,
      ...decidedFields(
        parts.composed,
        evaluations,
        rulesets.map((ruleset) => ruleset.layout),
      ),
      reasons: parts.reasons.map((reason) =>
        loggedReason(
          reason,
          rulesets.map(({ identity }) => identity),
        ),
      ),
      ...(parts.lists && { lists: parts.lists }),
      timings: parts.timings,
    },
    {
      profileId: request.profileId,
      request: { ...request, event },
      facts,
      leafResults: leafResultsOf(evaluations, rulesets, facts),
      messages: renderedMessages(evaluations),
      ...(next && velocity && { velocity: { n: next.n, timesDigest: sha256(velocity.times) } }),
      ...(parts.snoozes && { snoozes: parts.snoozes }),
    },
    parts.idempotency ? { keyId: caller.keyId, key: parts.idempotency.key, requestHash: parts.idempotency.requestHash } : null,
    key,
  );
  return velocity ? { ...sealable, velocity } : sealable;
}
