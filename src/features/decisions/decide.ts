import type { EvidenceKey } from '../../crypto/evidence-key.js';
import { notFound, unavailable } from '../../errors/domain-error.js';
import type { ComposedDecision, Thresholds } from '../../engine/decision-outcome.js';
import { evaluateDecision } from '../../engine/evaluate-decision.js';
import type { PrincipalReason } from '../../engine/principal-reasons.js';
import type { RuleExplanation, RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import type { EngineDescription } from '../../engine/semantics.js';
import { buildFactContext, computeFacts, factsReadingHistory } from '../../facts/fact-library.js';
import type { DecisionEvent } from '../../facts/decision-event.js';
import type { ProfileState } from '../profiles/profile-doc.js';
import type { ProfileStates } from '../profiles/profile-states.js';
import type { StateUpdate } from '../profiles/profile-store.js';
import type { ErasureStore } from '../profiles/erasure-store.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import type { Caller } from '../../auth/roles.js';
import type { DecisionLogStore } from './decision-log-store.js';
import type { VelocityStore } from './velocity-store.js';
import type { Logger } from '../../logging/logger.js';
import { type DecisionLogWriter, LogWriteRefused } from './decision-log-writer.js';
import type { DecisionRecord, LoggableRecord } from './decision-record.js';
import { decisionEntry } from './decision-entry.js';
import { erasureMasking } from './log-masking.js';
import { boundedEventTime } from './event-time.js';
import { hashRequest, idempotentDecisionId, newDecisionId, sameRequestOrConflict } from './decision-ids.js';
import type { DecisionRequest } from './decision-schema.js';
import { nextTags } from './profile-tagger.js';
import { KeyedQueue } from '../../async/keyed-queue.js';
import { decisionLists } from '../lists/decision-lists.js';
import type { ListView } from '../lists/list-registry.js';
import type { LoggedExplanations } from './logged-explanations.js';
import type { DecisionAnswer } from './decision-json.js';
import { requestedRulesets } from './requested-rulesets.js';
import {
  afterApplication,
  applicationsWithin24h,
  parseTimes,
  stampAfter,
  timesText,
  velocitySlot,
  type VelocityHead,
} from './velocity-history.js';
import type { ShadowObservation } from '../shadow/shadow-evaluation.js';
import { snoozesHolding, type ActiveSnooze } from '../snoozes/snoozes.js';

export interface DecideInput {
  request: DecisionRequest;
  caller: Caller;
  requestId: string;
  idempotencyKey?: string;
}

export interface DecideDeps {
  profiles: ProfileStates;
  erasures: ErasureStore;
  key: EvidenceKey;
  runtime: RulesetRuntime;
  log: DecisionLogStore;
  /** Velocity heads of profiles whose head is not kept with them yet (created before it was). */
  legacyVelocity: VelocityStore;
  writer: DecisionLogWriter;
  thresholds: Thresholds;
  timeoutMs: number;
  logger: Logger;
  engine: EngineDescription;
  /** The block and allow lists `inList` reads; none: every list condition is false. */
  lists?: { view(): ListView };
  explanations: LoggedExplanations;
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
  rulesets: readonly RulesetEvaluator[];
  /** Every rule's explanation, as the caller gets it (the entry keeps what rebuilds them). */
  explanations: RuleExplanation[];
  /** The principal reasons the caller is told, with their texts (the entry logs them without). */
  reasons: PrincipalReason[];
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

  async decide(input: DecideInput): Promise<DecisionAnswer> {
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

  private async decideWithinBudget(input: DecideInput, signal: AbortSignal): Promise<DecisionAnswer> {
    const started = performance.now();
    const { request, caller, idempotencyKey } = input;
    const eventTime = boundedEventTime(request.event.at, new Date());
    // The profile first: its subject salts the request hash and the idempotent id, so that a later
    // profile with the same id replaying an old Idempotency-Key never gets the erased one's decision.
    const state = await this.profileState(request.profileId);
    const { subject } = state;
    const erasing = this.erasureBegun(subject);
    const requestHash = hashRequest(request, subject);
    const decisionId = idempotencyKey ? idempotentDecisionId(caller.keyId, idempotencyKey, subject) : newDecisionId();
    if (idempotencyKey) {
      const earlier = await this.deps.log.get(decisionId);
      if (earlier) return this.answer(sameRequestOrConflict(earlier, requestHash));
    }

    const rulesets = await requestedRulesets(request, this.deps.runtime);
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
      snoozes: state.snoozes,
    };
    if (request.event.type === 'loan_application') {
      return this.applications.run(subject, () => this.decideApplication(attempt));
    }
    const head = readsApplications ? await this.headOf(state) : undefined;
    const evaluated = await this.evaluate(attempt, state, head);
    const logged = await this.log(evaluated.record, attempt);
    if (logged !== evaluated.record) return this.answer(logged!);
    this.deps.shadows?.observe(evaluated.observation);
    await this.recordDerived(attempt, state, evaluated);
    return this.answer(logged, evaluated);
  }

  /**
   * A loan application takes the next velocity slot of its profile with its log entry. When another
   * application (on another instance, or one whose head was never advanced) holds that slot, the count
   * it saw is stale: it re-reads the state and evaluates again for the next slot.
   */
  private async decideApplication(attempt: Attempt): Promise<DecisionAnswer> {
    attempt.signal.throwIfAborted();
    // Read again inside the queue: the application before this one may have changed the tags and the head.
    attempt.erasing = this.erasureBegun(attempt.subject);
    const state = await this.profileState(attempt.input.request.profileId);
    if (state.subject !== attempt.subject) throw erased(attempt.input.request.profileId);
    let head = await this.headOf(state);
    attempt.snoozes = state.snoozes;
    for (let tries = 0; tries < MAX_SLOT_ATTEMPTS; tries++) {
      const evaluated = await this.evaluate(attempt, state, head);
      const logged = await this.log(evaluated.record, attempt);
      if (logged === undefined) {
        head = await this.headAfterConflict(state, head);
        continue;
      }
      if (logged !== evaluated.record) return this.answer(logged);
      this.deps.shadows?.observe(evaluated.observation);
      // Logged, hence counted (the log is the count): the head follows even if the budget ran out
      // meanwhile, so that decisions reading only the head see what the log holds.
      await this.recordDerived(attempt, state, evaluated);
      return this.answer(logged, evaluated);
    }
    throw unavailable(`The application found its velocity slot taken ${MAX_SLOT_ATTEMPTS} times; nothing was decided.`);
  }

  private async evaluate(attempt: Attempt, { profile }: ProfileState, head: VelocityHead | undefined): Promise<Evaluated> {
    const { request, caller, requestId, idempotencyKey } = attempt.input;
    const evaluatedAt = attempt.eventTime ? new Date() : stampAfter(head, new Date());
    const eventTime = attempt.eventTime ?? evaluatedAt;
    const event = { ...request.event, at: request.event.at ?? evaluatedAt.toISOString() } as DecisionEvent;
    const history = head && attempt.readsApplications ? { applicationsLast24h: applicationsWithin24h(head, eventTime) } : {};
    const context = buildFactContext(profile, event, history);
    const facts = computeFacts(context, attempt.factNames);
    const factsDone = performance.now();

    const lists = decisionLists(attempt.rulesets, this.deps.lists);
    const snoozed = snoozesHolding(attempt.snoozes, context.eventTime, attempt.rulesets);
    const { evaluations, composed, reasons } = await evaluateDecision(
      attempt.rulesets,
      facts,
      context.eventTime,
      this.deps.thresholds,
      snoozed?.rules,
      lists.lookup,
    );
    const told = reasons.slice(0, this.deps.reasonsMax);
    const evaluated = performance.now();
    const next = event.type === 'loan_application' && head ? afterApplication(head, eventTime, evaluatedAt) : undefined;
    const record = decisionEntry(
      {
        decisionId: attempt.decisionId,
        subject: attempt.subject,
        request,
        event,
        caller,
        requestId,
        idempotency: idempotencyKey === undefined ? undefined : { key: idempotencyKey, requestHash: attempt.requestHash },
        rulesets: attempt.rulesets,
        engine: this.deps.engine,
        facts,
        evaluations,
        composed,
        evaluatedAt,
        reasons: told,
        ...(snoozed && { snoozes: snoozed.logged }),
        ...(lists.revisions && { lists: lists.revisions }),
        timings: {
          totalMs: round(performance.now() - attempt.started),
          factsMs: round(factsDone - attempt.started),
          evaluateMs: round(evaluated - factsDone),
        },
        next,
      },
      this.deps.key,
    );
    const explanations = evaluations.flatMap((evaluation) => evaluation.rules);
    const { decisionId, factNames } = attempt;
    const observation = {
      decisionId,
      requestId,
      context,
      facts,
      factNames,
      evaluations,
      composed,
      evaluatedAt,
      lists: lists.lookup,
      ...(snoozed && { snoozed: snoozed.rules }),
    };
    return { record, rulesets: attempt.rulesets, explanations, reasons: told, composed, evaluatedAt, observation, ...(next && { next }) };
  }

  /**
   * Logs the record and answers the decision to return: this one, or the earlier one of a concurrent
   * retry with the same Idempotency-Key; undefined when the application's velocity slot was taken.
   */
  private async log(record: LoggableRecord, attempt: Attempt): Promise<DecisionRecord | undefined> {
    attempt.signal.throwIfAborted();
    // Before logging: once an erasure of this subject has begun, nothing more is logged about it.
    if (await attempt.erasing) throw erased(attempt.input.request.profileId);
    try {
      await this.deps.writer.write(record, attempt.signal);
    } catch (error) {
      return this.afterRefusal(error, attempt, record);
    }
    // An erasure that began while this entry was being written may have masked before it landed: the
    // entry masks itself, and the velocity head is not advanced. An entry that landed after its budget
    // asks the database, which keeps every erasure (see ErasureStore).
    const erasure = await this.deps.erasures.get(attempt.subject, { fresh: attempt.signal.aborted });
    if (erasure) {
      await this.deps.log.maskOne(record.core.decisionId, erasureMasking(erasure));
      throw erased(attempt.input.request.profileId);
    }
    return record;
  }

  /** The check of the subject's erasure, started now and awaited later (a failure surfaces where it is awaited). */
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

  /** The profile's velocity head: kept with the profile, or, for a profile from before, where it was kept then. */
  private async headOf(state: ProfileState): Promise<VelocityHead> {
    if (state.velocity) return { n: state.velocity.n, times: parseTimes(state.velocity.times) };
    // Kept apart before heads moved to profiles: followed through the slots recorded since.
    const legacy = await this.deps.legacyVelocity.head(state.subject);
    const stored = await this.deps.profiles.headAfter(state.subject, { n: legacy.n, times: timesText(legacy.times) });
    return { n: stored.n, times: parseTimes(stored.times) };
  }

  /**
   * The state to try the next slot with, after the slot following `previous` was found taken. Usually
   * the head has moved on; when it has not (its writer has not advanced it yet, or died first), the
   * log entry holding the slot has the state, and the head is repaired from it.
   */
  private async headAfterConflict(state: ProfileState, previous: VelocityHead): Promise<VelocityHead> {
    const fresh = await this.deps.profiles.fresh(state.profile.profileId);
    const head = fresh?.subject === state.subject ? await this.headOf(fresh) : previous;
    if (head.n > previous.n) return head;
    const n = previous.n + 1;
    const times = await this.deps.log.velocityAt(velocitySlot(state.subject, n));
    if (!times) return head;
    const repaired = { n, times };
    await this.record({ profileId: state.profile.profileId, subject: state.subject, velocity: { n, times: timesText(times) } }, state);
    return repaired;
  }

  /**
   * Records what the logged decision derived onto its profile: an application's velocity head (it is
   * counted whatever happens), and the tags it yielded when they changed, unless the budget ran out (the
   * caller was then told nothing was decided).
   */
  private async recordDerived(attempt: Attempt, state: ProfileState, { composed, evaluatedAt, next }: Evaluated): Promise<void> {
    const { profile } = state;
    const evaluated = new Set(attempt.rulesets.map((ruleset) => ruleset.identity.id));
    const tags = attempt.signal.aborted ? undefined : nextTags(profile.tagDetails, composed.tagSources, evaluated, evaluatedAt);
    if (!tags && !next) return;
    await this.record(
      {
        profileId: profile.profileId,
        subject: attempt.subject,
        ...(tags && { tags }),
        ...(next && { velocity: { n: next.n, times: timesText(next.times) } }),
      },
      state,
    );
  }

  /** The decision is logged and stands whatever happens here: tags catch up on the next decision or retag, a head left behind is repaired by the next application. */
  private async record(update: StateUpdate, read: ProfileState): Promise<void> {
    try {
      await this.deps.profiles.record(update, read);
    } catch (error) {
      this.deps.logger.warn('profile tags or velocity head not updated', { message: (error as Error).message });
    }
  }

  /** This decision with its explanations, or the earlier one logged under its idempotent id, rebuilt from the log. */
  private async answer(logged: DecisionRecord, evaluated?: Evaluated): Promise<DecisionAnswer> {
    if (evaluated && logged === evaluated.record) {
      return {
        record: logged,
        explained: { explanations: evaluated.explanations, reasons: evaluated.reasons },
        rulesets: evaluated.rulesets,
      };
    }
    return { record: logged, explained: await this.deps.explanations.of(logged) };
  }

  private async profileState(profileId: string): Promise<ProfileState> {
    const state = await this.deps.profiles.get(profileId);
    if (!state) throw notFound(`No profile with id ${profileId}.`);
    return state;
  }
}

const erased = (profileId: string) => notFound(`No profile with id ${profileId}: it is being erased.`);

const round = (ms: number): number => Math.round(ms * 1000) / 1000;
