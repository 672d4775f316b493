import { createHash, randomBytes } from 'node:crypto';
import { conflict, notFound, unavailable, validationFailed, type ErrorDetail } from '../../http/app-error.js';
import { canonicalJson } from '../rules/canonical-json.js';
import { composeDecision, type Thresholds } from '../rules/decision-outcome.js';
import type { RulesetEvaluator } from '../rules/ruleset-evaluation.js';
import { buildFactContext, computeFacts } from '../facts/fact-library.js';
import type { DecisionEvent } from '../facts/fact-definition.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import type { Caller } from '../api-keys/roles.js';
import type { DecisionLogStore } from './decision-log-store.js';
import type { VelocityStore } from './velocity-store.js';
import type { Logger } from '../../logging/logger.js';
import { DecisionLogWriter, LogWriteRefused } from './decision-log-writer.js';
import { decidedFields, renderedMessages, sealableRecord, type DecisionRecord } from './decision-record.js';
import type { DecisionRequest } from './decision-schema.js';
import type { ProfileTagger } from './profile-tagger.js';

export interface DecideInput {
  request: DecisionRequest;
  caller: Caller;
  requestId: string;
  idempotencyKey?: string;
}

export interface DecideDeps {
  profiles: ProfileStore;
  runtime: RulesetRuntime;
  log: DecisionLogStore;
  velocity: VelocityStore;
  writer: DecisionLogWriter;
  tagger: ProfileTagger;
  thresholds: Thresholds;
  timeoutMs: number;
  logger: Logger;
  engine: { name: string; version: string };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * POST /v1/decisions: load the profile, compute the facts the rules read, evaluate the requested
 * (or all active) rulesets at the pinned (or active) versions, compose the outcome, log it, and only
 * then answer. Past the latency budget, or when the database fails, it answers 503: fail closed.
 */
export class DecideUseCase {
  constructor(private readonly deps: DecideDeps) {}

  async decide(input: DecideInput): Promise<DecisionRecord> {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(unavailable(`No decision within the ${this.deps.timeoutMs} ms budget; nothing was returned.`)),
        this.deps.timeoutMs,
      );
    });
    try {
      return await Promise.race([this.decideWithinBudget(input), budget]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async decideWithinBudget({ request, caller, requestId, idempotencyKey }: DecideInput): Promise<DecisionRecord> {
    const started = performance.now();
    const requestHash = hashRequest(request);
    const decisionId = idempotencyKey ? idempotentDecisionId(caller.keyId, idempotencyKey) : newDecisionId();
    if (idempotencyKey) {
      const earlier = await this.deps.log.get(decisionId);
      if (earlier) return sameRequestOrConflict(earlier, requestHash);
    }

    const rulesets = await this.resolveRulesets(request);
    const evaluatedAt = new Date();
    const event = { ...request.event, at: request.event.at ?? evaluatedAt.toISOString() } as DecisionEvent;
    const factNames = new Set(rulesets.flatMap((ruleset) => [...ruleset.factNames]));
    // Both reads at once: each is a round trip to the database.
    const [profile, history] = await Promise.all([
      this.deps.profiles.get(request.profileId),
      factNames.has('applicationsLast24h') ? this.history(request.profileId, event) : {},
    ]);
    if (!profile) throw notFound(`No profile with id ${request.profileId}.`);
    const context = buildFactContext(profile, event, history);
    const facts = computeFacts(context, factNames);
    const factsDone = performance.now();

    const evaluations = await Promise.all(rulesets.map((ruleset) => ruleset.evaluate(facts, context.eventTime)));
    const composed = composeDecision(evaluations, this.deps.thresholds);
    const evaluated = performance.now();

    const record = sealableRecord(
      {
        decisionId,
        createdAt: new Date().toISOString(),
        evaluatedAt: evaluatedAt.toISOString(),
        requestId,
        caller: { keyId: caller.keyId, name: caller.name },
        rulesets: rulesets.map(({ identity }) => ({ id: identity.id, version: identity.version, checksum: identity.checksum })),
        engine: this.deps.engine,
        ...decidedFields(composed),
        timings: {
          totalMs: round(performance.now() - started),
          factsMs: round(factsDone - started),
          evaluateMs: round(evaluated - factsDone),
        },
      },
      { profileId: request.profileId, request: { ...request, event }, facts, explanations: evaluations.flatMap((e) => e.rules), messages: renderedMessages(evaluations) },
      idempotencyKey ? { keyId: caller.keyId, key: idempotencyKey, requestHash } : null,
    );

    try {
      await this.deps.writer.write(record);
    } catch (error) {
      // A concurrent retry with the same idempotency key logged first: answer with its decision.
      if (error instanceof LogWriteRefused && error.code === 11000 && idempotencyKey) {
        const winner = await this.deps.log.get(decisionId);
        if (winner) return sameRequestOrConflict(winner, requestHash);
      }
      throw error;
    }
    if (event.type === 'loan_application') await this.recordApplication(request.profileId, context.eventTime);
    await this.deps.tagger.apply(request.profileId, profile.tagDetails, composed.tagSources, rulesets, evaluatedAt);
    return record;
  }

  /** The requested rulesets (default: every active one), each at its pinned or active version. */
  private async resolveRulesets(request: DecisionRequest): Promise<RulesetEvaluator[]> {
    const details: ErrorDetail[] = [];
    // A Map: ruleset ids are the client's keys, and a plain object would answer pins["constructor"].
    const pins = new Map(Object.entries(request.versions ?? {}));
    const ids = request.rulesets ?? [...new Set([...this.deps.runtime.activeRulesets().map((r) => r.identity.id), ...pins.keys()])];
    for (const id of pins.keys()) {
      if (!ids.includes(id)) details.push({ path: `/versions/${id}`, message: 'pins a ruleset that is not requested' });
    }
    const resolved: RulesetEvaluator[] = [];
    for (const [index, id] of ids.entries()) {
      const pinned = pins.get(id);
      const ruleset = pinned !== undefined ? await this.deps.runtime.version(id, pinned) : this.deps.runtime.activeVersionOf(id);
      if (ruleset) resolved.push(ruleset);
      else if (pinned !== undefined) details.push({ path: `/versions/${id}`, message: `ruleset ${id} has no version ${pinned}` });
      else details.push({ path: `/rulesets/${index}`, message: `ruleset ${id} does not exist or has no active version` });
    }
    if (details.length > 0) throw validationFailed('The rulesets requested cannot be evaluated.', details);
    return resolved;
  }

  /** applicationsLast24h: loan applications logged for this profile in the 24 h before the event. */
  private async history(profileId: string, event: DecisionEvent): Promise<{ applicationsLast24h: number }> {
    const at = new Date(event.at);
    const applicationsLast24h = await this.deps.velocity.countBetween(profileId, new Date(at.getTime() - DAY_MS), at);
    return { applicationsLast24h };
  }

  /** After the decision is logged: count it for later velocity checks. The decision stands if this fails. */
  private async recordApplication(profileId: string, eventTime: Date): Promise<void> {
    try {
      await this.deps.velocity.record(profileId, eventTime);
    } catch (error) {
      this.deps.logger.warn('application not counted for velocity', { message: (error as Error).message });
    }
  }
}

function sameRequestOrConflict(earlier: DecisionRecord, requestHash: string): DecisionRecord {
  if (earlier.idempotency?.requestHash !== requestHash) {
    throw conflict('This Idempotency-Key was already used with a different request body.');
  }
  return earlier;
}

function hashRequest(request: DecisionRequest): string {
  return createHash('sha256').update(canonicalJson(request), 'utf8').digest('hex');
}

/** One id per (caller, key): a retry can never create a second decision, even when racing. */
function idempotentDecisionId(keyId: string, idempotencyKey: string): string {
  return `dec_${createHash('sha256').update(`${keyId}\n${idempotencyKey}`, 'utf8').digest('hex').slice(0, 32)}`;
}

/** Time-ordered, so ids sort roughly by creation. */
function newDecisionId(): string {
  return `dec_${Date.now().toString(36).padStart(9, '0')}${randomBytes(10).toString('hex')}`;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
