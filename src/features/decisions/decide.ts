import type { EvidenceKey } from '../../crypto/evidence-key.js';
import { notFound, unavailable, validationFailed, type ErrorDetail } from '../../errors/domain-error.js';
import type { ComposedDecision, Thresholds } from '../../engine/decision-outcome.js';
import { evaluateDecision } from '../../engine/evaluate-decision.js';
import type { RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import type { EngineDescription } from '../../engine/semantics.js';
import { buildFactContext, computeFacts, factsReadingHistory } from '../../facts/fact-library.js';
import type { DecisionEvent } from '../../facts/decision-event.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { ErasureStore } from '../profiles/erasure-store.js';
import type { StoredProfile } from '../profiles/profile-schema.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import type { Caller } from '../../auth/roles.js';
import type { DecisionLogStore } from './decision-log-store.js';
import type { VelocityStore } from './velocity-store.js';
import type { Logger } from '../../logging/logger.js';
import { type DecisionLogWriter, LogWriteRefused } from './decision-log-writer.js';
import { decidedFields, renderedMessages, sealableRecord, type DecisionRecord, type LoggableRecord } from './decision-record.js';
import { erasureMasking } from './log-masking.js';
import { boundedEventTime } from './event-time.js';
import { hashRequest, idempotentDecisionId, newDecisionId, sameRequestOrConflict } from './decision-ids.js';
import { sha256 } from '../../crypto/evidence-key.js';
import type { DecisionRequest } from './decision-schema.js';
import type { ProfileTagger } from './profile-tagger.js';
import { KeyedQueue } from './keyed-queue.js';
import type { ShadowObservation } from '../shadow/shadow-evaluation.js';
import { snoozesHolding, type ActiveSnooze } from '../snoozes/snoozes.js';
import { afterApplication, applicationsWithin24h, stampAfter, timesText, velocitySlot, type VelocityHead } from './velocity-history.js';

export interface DecideInput {
  request: DecisionRequest;
  caller: Caller;
  requestId: string;
  idempotencyKey?: string;
}

export interface DecideDeps {
  profiles: ProfileStore;
  erasures: ErasureStore;
  key: EvidenceKey;
  runtime: RulesetRuntime;
  log: DecisionLogStore;
  velocity: VelocityStore;
  writer: DecisionLogWriter;
  tagger: ProfileTagger;
  thresholds: Thresholds;
  timeoutMs: number;
  logger: Logger;
  engine: EngineDescription;
  /** Shadow evaluation: handed each logged decision, evaluates after the answer (never throws). */
  shadows?: { observe(observation: ShadowObservation): void };
  /** The most principal reasons a decline or review carries (REASONS_MAX). */
  reasonsMax: number;
}

/** Each time an application finds its slot taken, another application was logged; past this many, something is wrong. */
const MAX_SLOT_ATTEMPTS = 100;

/** What a decision settled before it evaluates; an application may evaluate more than once. */
interface Attempt {
  input: DecideInput;
  /** The profile's pseudonym: what the entry names, what its velocity is kept under, what erasure finds it by. */
  subject: string;
  started: number;
  decisionId: string;
  requestHash: string;
  rulesets: RulesetEvaluator[];
  factNames: Set<string>;
  /** Whether a fact the rulesets read counts the profile's logged applications (the velocity head has them). */
  readsApplications: boolean;
  /** The client's event time, when it sent one; else the time of each evaluation. */
  eventTime: Date | undefined;
  /** Aborted when the budget runs out: from then on nothing of this decision may be written. */
  signal: AbortSignal;
  /** Whether an erasure of the subject had begun, read beside the profile (so it costs no wait): checked before logging. */
  erasing: Promise<boolean>;
  /** The profile's snoozes, read with it. */
  snoozes?: ActiveSnooze[];
}

interface Evaluated {
  record: LoggableRecord;
  composed: ComposedDecision;
  evaluatedAt: Date;
  /** A loan application's velocity state once it is logged. */
  next?: VelocityHead;
  /** What a shadow version is evaluated on once this is logged. */
  observation: ShadowObservation;
}

/**
 * POST /v1/decisions: load the profile, compute the facts the rules read, evaluate the requested
 * (or all active) rulesets at the pinned (or active) versions, compose the outcome, log it, and only
 * then answer. Past the latency budget, or when the database fails, it answers 503: fail closed.
 */
export class DecideUseCase {
  /**
   * One loan application per profile at a time on this instance: each reads the velocity state the
   * one before it left, so a burst costs one attempt per application rather than a conflict per pair.
   * Across instances the unique slot of the log entry decides.
   */
  private readonly applications = new KeyedQueue();

  constructor(private readonly deps: DecideDeps) {}

  async decide(input: DecideInput): Promise<DecisionRecord> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = unavailable(`No decision within the ${this.deps.timeoutMs} ms budget; nothing was returned.`);
        controller.abort(error);
        reject(error);
      }, this.deps.timeoutMs);
    });
    try {
      return await Promise.race([this.decideWithinBudget(input, controller.signal), budget]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async decideWithinBudget(input: DecideInput, signal: AbortSignal): Promise<DecisionRecord> {
    const started = performance.now();
    const { request, caller, idempotencyKey } = input;
    const eventTime = boundedEventTime(request.event.at, new Date());
    // The profile first: its subject salts the request hash and the idempotent id, so that a later
    // profile with the same id replaying an old Idempotency-Key never gets the erased one's decision.
    const { profile, subject, snoozes } = await this.profileWithSubject(request.profileId);
    const erasing = this.erasureBegun(subject);
    const requestHash = hashRequest(request, subject);
    const decisionId = idempotencyKey ? idempotentDecisionId(caller.keyId, idempotencyKey, subject) : newDecisionId();
    if (idempotencyKey) {
      const earlier = await this.deps.log.get(decisionId);
      if (earlier) return sameRequestOrConflict(earlier, requestHash);
    }

    const rulesets = await this.resolveRulesets(request);
    const factNames = new Set(rulesets.flatMap((ruleset) => [...ruleset.factNames]));
    const readsApplications = factsReadingHistory(factNames, 'applications').length > 0;
    const attempt: Attempt = {
      input,
      subject,
      started,
      decisionId,
      requestHash,
      rulesets,
      factNames,
      readsApplications,
      eventTime,
      signal,
      erasing,
      snoozes,
    };
    if (request.event.type === 'loan_application') {
      return this.applications.run(subject, () => this.decideApplication(attempt));
    }
    const head = readsApplications ? await this.deps.velocity.head(subject) : undefined;
    const evaluated = await this.evaluate(attempt, profile, head);
    const logged = await this.log(evaluated.record, attempt);
    if (logged !== evaluated.record) return logged!;
    this.deps.shadows?.observe(evaluated.observation);
    await this.tag(attempt, profile, evaluated);
    return logged;
  }

  /**
   * A loan application takes the next velocity slot of its profile with its log entry. When another
   * application (on another instance, or one whose head was never advanced) holds that slot, the count
   * it saw is stale: it re-reads the state and evaluates again for the next slot.
   */
  private async decideApplication(attempt: Attempt): Promise<DecisionRecord> {
    attempt.signal.throwIfAborted();
    const { subject } = attempt;
    // Read again inside the queue: the application before this one may have changed the tags.
    attempt.erasing = this.erasureBegun(subject);
    const [{ profile, snoozes }, firstHead] = await Promise.all([
      this.profileWithSubject(attempt.input.request.profileId),
      this.deps.velocity.head(subject),
    ]);
    attempt.snoozes = snoozes;
    let head = firstHead;
    for (let tries = 0; tries < MAX_SLOT_ATTEMPTS; tries++) {
      const evaluated = await this.evaluate(attempt, profile, head);
      const logged = await this.log(evaluated.record, attempt);
      if (logged === undefined) {
        head = await this.headAfterConflict(subject, head);
        continue;
      }
      if (logged !== evaluated.record) return logged;
      this.deps.shadows?.observe(evaluated.observation);
      // Logged, hence counted (the log is the count): the head follows even if the budget ran out
      // meanwhile, so that decisions reading only the head see what the log holds.
      await this.advanceHead(subject, evaluated.next!);
      await this.tag(attempt, profile, evaluated);
      return logged;
    }
    throw unavailable(`The application found its velocity slot taken ${MAX_SLOT_ATTEMPTS} times; nothing was decided.`);
  }

  private async evaluate(attempt: Attempt, profile: StoredProfile, head: VelocityHead | undefined): Promise<Evaluated> {
    const { request, caller, requestId, idempotencyKey } = attempt.input;
    const evaluatedAt = attempt.eventTime ? new Date() : stampAfter(head, new Date());
    const eventTime = attempt.eventTime ?? evaluatedAt;
    const event = { ...request.event, at: request.event.at ?? evaluatedAt.toISOString() } as DecisionEvent;
    const history = head && attempt.readsApplications ? { applicationsLast24h: applicationsWithin24h(head, eventTime) } : {};
    const context = buildFactContext(profile, event, history);
    const facts = computeFacts(context, attempt.factNames);
    const factsDone = performance.now();

    const snoozed = snoozesHolding(attempt.snoozes, context.eventTime, attempt.rulesets);
    const { evaluations, composed, reasons } = await evaluateDecision(
      attempt.rulesets,
      facts,
      context.eventTime,
      this.deps.thresholds,
      snoozed?.rules,
    );
    const evaluated = performance.now();
    const next = event.type === 'loan_application' && head ? afterApplication(head, eventTime, evaluatedAt) : undefined;
    const velocity = next && { slot: velocitySlot(attempt.subject, next.n), times: timesText(next.times) };

    const sealable = sealableRecord(
      {
        decisionId: attempt.decisionId,
        subject: attempt.subject,
        createdAt: new Date().toISOString(),
        evaluatedAt: evaluatedAt.toISOString(),
        requestId,
        caller: { keyId: caller.keyId, name: caller.name },
        rulesets: attempt.rulesets.map(({ identity }) => ({ id: identity.id, version: identity.version, checksum: identity.checksum })),
        engine: this.deps.engine,
        ...decidedFields(composed),
        reasons: reasons.slice(0, this.deps.reasonsMax),
        timings: {
          totalMs: round(performance.now() - attempt.started),
          factsMs: round(factsDone - attempt.started),
          evaluateMs: round(evaluated - factsDone),
        },
      },
      {
        profileId: request.profileId,
        request: { ...request, event },
        facts,
        explanations: evaluations.flatMap((e) => e.rules),
        messages: renderedMessages(evaluations),
        ...(next && velocity && { velocity: { n: next.n, timesDigest: sha256(velocity.times) } }),
        ...(snoozed && { snoozes: snoozed.logged }),
      },
      idempotencyKey ? { keyId: caller.keyId, key: idempotencyKey, requestHash: attempt.requestHash } : null,
      this.deps.key,
    );
    const { decisionId, factNames } = attempt;
    const observation = { decisionId, requestId, context, facts, factNames, evaluations, composed, evaluatedAt };
    if (!next) return { record: sealable, composed, evaluatedAt, observation };
    return { record: { ...sealable, velocity }, composed, evaluatedAt, next, observation };
  }

  /**
   * Logs the record and answers the decision to return: this one, or the earlier one of a concurrent
   * retry with the same Idempotency-Key; undefined when the application's velocity slot was taken.
   */
  private async log(record: LoggableRecord, attempt: Attempt): Promise<DecisionRecord | undefined> {
    attempt.signal.throwIfAborted();
    await this.refuseIfErased(attempt);
    try {
      await this.deps.writer.write(record, attempt.signal);
    } catch (error) {
      return this.afterRefusal(error, attempt, record);
    }
    // An erasure that began while this entry was being written may have masked before it landed: the
    // entry masks itself, and the velocity head is not advanced.
    const erasure = await this.deps.erasures.get(attempt.subject);
    if (erasure) {
      await this.deps.log.maskOne(record.core.decisionId, erasureMasking(erasure));
      throw erased(attempt.input.request.profileId);
    }
    return record;
  }

  /** Before logging: an erasure of this subject has begun, so nothing more is logged about it. */
  private async refuseIfErased(attempt: Attempt): Promise<void> {
    if (await attempt.erasing) throw erased(attempt.input.request.profileId);
  }

  /** The read of the subject's erasure record, started now and awaited later (a failure surfaces where it is awaited). */
  private erasureBegun(subject: string): Promise<boolean> {
    const begun = this.deps.erasures.get(subject).then((erasure) => erasure !== undefined);
    begun.catch(() => undefined);
    return begun;
  }

  /** The decision to return when the log refused the entry: the earlier one of a concurrent retry, or undefined for a taken slot. */
  private async afterRefusal(error: unknown, attempt: Attempt, record: LoggableRecord): Promise<DecisionRecord | undefined> {
    if (!(error instanceof LogWriteRefused && error.code === 11000)) throw error;
    if (attempt.input.idempotencyKey) {
      const winner = await this.deps.log.get(attempt.decisionId);
      if (winner) return sameRequestOrConflict(winner, attempt.requestHash);
    }
    // A random decision id does not collide: what was taken is the slot, by another application.
    if (record.velocity) return undefined;
    throw error;
  }

  /**
   * The state to try the next slot with, after the slot following `previous` was found taken. Usually
   * the head has moved on; when it has not (its writer has not advanced it yet, or died first), the
   * log entry holding the slot has the state, and the head is repaired from it.
   */
  private async headAfterConflict(subject: string, previous: VelocityHead): Promise<VelocityHead> {
    const head = await this.deps.velocity.head(subject);
    if (head.n > previous.n) return head;
    const n = previous.n + 1;
    const times = await this.deps.log.velocityAt(velocitySlot(subject, n));
    if (!times) return head;
    const repaired = { n, times };
    await this.advanceHead(subject, repaired);
    return repaired;
  }

  /** The application is logged and counted whatever happens here: a head left behind is repaired by the next one. */
  private async advanceHead(subject: string, head: VelocityHead): Promise<void> {
    try {
      await this.deps.velocity.advance(subject, head);
    } catch (error) {
      this.deps.logger.warn('velocity head not advanced', { message: (error as Error).message });
    }
  }

  /** Stores the tags the decision yielded, unless the budget ran out: then the caller was told nothing was decided. */
  private async tag(attempt: Attempt, profile: StoredProfile, { composed, evaluatedAt }: Evaluated): Promise<void> {
    if (attempt.signal.aborted) return;
    await this.deps.tagger.apply(
      attempt.input.request.profileId,
      attempt.subject,
      profile.tagDetails,
      composed.tagSources,
      attempt.rulesets,
      evaluatedAt,
    );
  }

  private async profileWithSubject(profileId: string): Promise<{ profile: StoredProfile; subject: string; snoozes?: ActiveSnooze[] }> {
    const found = await this.deps.profiles.withSubject(profileId);
    if (!found) throw notFound(`No profile with id ${profileId}.`);
    return found;
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
}

const erased = (profileId: string) => notFound(`No profile with id ${profileId}: it is being erased.`);

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
