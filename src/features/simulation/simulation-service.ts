import { randomUUID } from 'node:crypto';
import { conflict, forbidden, notFound } from '../../errors/domain-error.js';
import { hasAnyRole, type Caller } from '../../auth/roles.js';
import { actorOf } from '../audit/audit-trail.js';
import type { RulesetService } from '../rulesets/ruleset-service.js';
import type { SimulationPlanner } from './simulation-plan.js';
import type { SimulateRequest } from './simulation-schema.js';
import type { SimulationRunner } from './simulation-runner.js';
import { isStaleEntry, type SimulationQueueStore } from './simulation-queue-store.js';
import { cancelledFields, isFinished, type SimulationRecord, type SimulationStore, type SimulationSummary } from './simulation-store.js';
import type { SimulationEndingStore } from './simulation-ending-store.js';
import { discloseReport, type FullReport } from './simulation-disclosure.js';

/** What the service needs of the worker: to look for work now, and to stop a run it executes. */
export interface SimulationExecutor {
  kick(): void;
  cancelHere(simulationId: string): void;
}

/**
 * "What would this draft change?": evaluates a candidate (the draft or a version) and a baseline
 * (the active or a version) on the same inputs, profiles or logged decisions, and compares. Small
 * runs answer in the request; larger ones are queued (a bounded quota per API key) and executed by
 * the instances' workers (simulation-worker.ts). Read-only: nothing a customer would see is written.
 */
export class SimulationService {
  constructor(
    private readonly deps: {
      rulesets: RulesetService;
      planner: SimulationPlanner;
      runner: SimulationRunner;
      store: SimulationStore;
      queue: SimulationQueueStore;
      endings: SimulationEndingStore;
      executor: SimulationExecutor;
      /** Above this many inputs a simulation runs in the background and its result is fetched later. */
      inlineLimit: number;
      /** Unfinished background runs one API key may have. */
      queuePerKey: number;
    },
  ) {}

  /**
   * Answers the report inline, or the queued run (202) when it is too large. The report shows the
   * caller what simulation-disclosure allows; a stored one keeps everything.
   */
  async simulate(
    rulesetId: string,
    request: SimulateRequest,
    caller: Caller,
    now = new Date(),
  ): Promise<{ inline: boolean; body: object }> {
    const { planner, runner, store, queue, executor } = this.deps;
    const { plan, sides, header } = await planner.plan(rulesetId, request, now);
    const total = await runner.countInputs(plan);
    if (total <= this.deps.inlineLimit) {
      const { result, notes } = await runner.run(plan, sides);
      return { inline: true, body: discloseReport({ ...header, ...result, notes }, caller) };
    }
    const id = `sim_${randomUUID()}`;
    const queueSlot = await this.takeQueueSlot(caller, id, now);
    const record: SimulationRecord = {
      id,
      rulesetId,
      status: 'queued',
      progress: { done: 0, total },
      header,
      plan,
      requestedBy: actorOf(caller),
      queueSlot,
      restarts: 0,
      instance: null,
      createdAt: now,
      startedAt: null,
      heartbeatAt: null,
      endedAt: null,
      cancelledBy: null,
      result: null,
      error: null,
    };
    try {
      await store.create(record);
    } catch (error) {
      await queue.free(queueSlot, id).catch(() => undefined);
      throw error;
    }
    executor.kick();
    return { inline: false, body: await this.view(record, caller) };
  }

  async get(rulesetId: string, simulationId: string, caller: Caller): Promise<object> {
    return this.view(await this.asEnded(await this.require(rulesetId, simulationId)), caller);
  }

  /** A ruleset's background runs, newest first, without reports (GET one for its report). */
  async list(rulesetId: string, limit: number, before?: { createdAt: Date; id: string }): Promise<SimulationSummary[]> {
    await this.deps.rulesets.require(rulesetId);
    const runs = await this.deps.store.list(rulesetId, limit, before);
    return Promise.all(runs.map((run) => this.asEnded(run)));
  }

  /** How many unfinished runs were queued before each queued one (one read of the queue for a whole list). */
  async aheadOf(runs: SimulationSummary[]): Promise<Map<string, number>> {
    const ahead = new Map<string, number>();
    if (!runs.some((run) => run.status === 'queued')) return ahead;
    const entries = await this.deps.queue.entries();
    for (const run of runs) {
      if (run.status === 'queued') ahead.set(run.id, entries.filter((entry) => entry.createdAt < run.createdAt).length);
    }
    return ahead;
  }

  /**
   * Cancels a queued or running run: the API key that started it or an admin may. The cancel is
   * decided by one insert (SimulationEndingStore), acknowledged before the answer, that no write of
   * the run's document can undo: from then on the run shows `cancelled`, a queued one never starts and
   * a running one stops at its next yield (on another instance, within a heartbeat). Cancelling a
   * cancelled run again is a no-op; a finished one is a 409.
   */
  async cancel(rulesetId: string, simulationId: string, caller: Caller, now = new Date()): Promise<void> {
    const record = await this.require(rulesetId, simulationId);
    // Runs stored before runs had requesters have none: only an admin may touch them.
    if (record.requestedBy?.keyId !== caller.keyId && !hasAnyRole(caller, ['admin'])) {
      throw forbidden('Only the API key that started this simulation, or an admin, may cancel it.');
    }
    if (record.status === 'cancelled') return;
    const by = actorOf(caller);
    const standing = isFinished(record.status)
      ? { outcome: record.status }
      : await this.deps.endings.decide(simulationId, { outcome: 'cancelled', by, at: now });
    if (standing.outcome !== 'cancelled') {
      throw conflict(`Simulation ${simulationId} has already ${standing.outcome}: there is nothing to cancel.`);
    }
    // The run's document follows (lists, retention and the queue read it); the worker mends it if a claim or heartbeat overwrites it.
    await this.deps.store.cancel(simulationId, by, now);
    this.deps.executor.cancelHere(simulationId);
    // A running run frees its place when it stops; a queued one has nobody else to do it.
    if (record.status === 'queued') await this.deps.queue.free(record.queueSlot, simulationId);
  }

  /** What a caller sees of a run: its state, and its report (as disclosed to this caller) once it succeeded. */
  async view(run: SimulationSummary & { result?: object | null }, caller: Caller, ahead?: number): Promise<object> {
    const { id, status, progress, header, requestedBy, restarts, createdAt, startedAt, endedAt, cancelledBy, error } = run;
    const state = {
      simulationId: id,
      status,
      progress,
      requestedBy,
      createdAt: createdAt.toISOString(),
      startedAt: startedAt?.toISOString() ?? null,
      endedAt: endedAt?.toISOString() ?? null,
      restarts,
      ...(status === 'queued' ? { ahead: ahead ?? (await this.aheadOf([run])).get(id) ?? 0 } : {}),
      ...(status === 'cancelled' ? { cancelledBy } : {}),
    };
    if (status === 'succeeded' && run.result) return { ...state, ...discloseReport(run.result as FullReport, caller) };
    return { ...state, ...header, error };
  }

  /**
   * A run as its ending says: an unfinished document whose run was cancelled shows `cancelled` (a
   * claim or heartbeat racing the cancel may have written over the document; the ending stands).
   */
  private async asEnded<T extends SimulationSummary & { result?: object | null }>(run: T): Promise<T> {
    if (isFinished(run.status)) return run;
    const ending = await this.deps.endings.get(run.id);
    return ending?.outcome === 'cancelled' ? { ...run, ...cancelledFields(ending) } : run;
  }

  private async require(rulesetId: string, simulationId: string): Promise<SimulationRecord> {
    const record = await this.deps.store.get(simulationId);
    if (!record || record.rulesetId !== rulesetId) throw notFound(`No simulation ${simulationId} of ruleset ${rulesetId}.`);
    return record;
  }

  /**
   * A place in the caller's quota of unfinished runs, or 409. Places still held by runs that ended
   * without freeing them (their instance died at that moment) are freed first.
   */
  private async takeQueueSlot(caller: Caller, simulationId: string, now: Date): Promise<string> {
    const { queue, store, queuePerKey } = this.deps;
    const slot = await queue.take(caller.keyId, queuePerKey, simulationId, now);
    if (slot) return slot;
    const unfinished: string[] = [];
    for (const entry of (await queue.entries()).filter((held) => held.keyId === caller.keyId)) {
      const stored = await store.get(entry.simulationId);
      const run = stored && (await this.asEnded(stored));
      if (isStaleEntry(entry, run, now)) await queue.free(entry.slot, entry.simulationId);
      else unfinished.push(run ? `${run.id} (${run.rulesetId}, ${run.status})` : entry.simulationId);
    }
    const retried = await queue.take(caller.keyId, queuePerKey, simulationId, now);
    if (retried) return retried;
    throw conflict(
      `This API key already has ${queuePerKey} background simulations queued or running, the most it may have ` +
        `(SIMULATION_QUEUE_PER_KEY): ${unfinished.join(', ')}. Wait for one to finish or cancel one ` +
        '(DELETE /v1/rulesets/{id}/simulations/{simulationId}).',
    );
  }
}
