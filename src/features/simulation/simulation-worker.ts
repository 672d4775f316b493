import type { Logger } from '../../logging/logger.js';
import type { LeaseStore } from '../../db/lease-store.js';
import { cancelledFields, isFinished, type SimulationRecord, type SimulationStore } from './simulation-store.js';
import type { SimulationEnding, SimulationEndingStore } from './simulation-ending-store.js';
import { isStaleEntry, type QueueEntry, type SimulationQueueStore } from './simulation-queue-store.js';
import type { SimulationPlanner } from './simulation-plan.js';
import type { SimulationRunner } from './simulation-runner.js';

/** How often an instance looks for queued runs and runs whose instance died (also after each run ends here). */
const POLL_MS = 1000;
/** How often a running simulation stores its progress, renews its lease and looks for a cancel (on any instance). */
export const HEARTBEAT_MS = 500;
/** A run taken over this many times (its instances kept dying on it) is failed rather than started again. */
export const MAX_RESTARTS = 2;

/** Why a run stopped before its end. */
type StopReason = 'cancelled' | 'stopping' | 'lost';
/** How a run ended, as this instance saw it: stopped, or with fields to record. */
type Ending = { reason: StopReason } | { fields: Partial<SimulationRecord> & { status: 'succeeded' | 'failed' } };

class RunStopped extends Error {
  constructor(readonly reason: StopReason) {
    super(`simulation stopped: ${reason}`);
  }
}

interface Options {
  instanceId: string;
  /** Runs executed at once on this instance (0: none). */
  concurrency: number;
  leaseMs: number;
}

/**
 * Executes queued background simulations, at most `concurrency` at once per instance, oldest first,
 * on whichever instances have room. A run belongs to the instance holding its lease (LeaseStore: one
 * document per run, unique by id, renewed every heartbeat). When its instance dies, the lease expires
 * and the next instance to look starts the run again from the beginning (its plan is stored), up to
 * MAX_RESTARTS times; then it is failed. On a graceful stop, a running simulation goes back to the
 * queue at once. A cancel is an insert-only record (SimulationEndingStore), looked for after every write
 * that could have overwritten the run's cancelled document: the claim and each heartbeat; and the
 * finishing instance records its ending there first, so a cancelled run never ends `succeeded`.
 */
export class SimulationWorker {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private stopped = false;

  constructor(
    private readonly deps: {
      store: SimulationStore;
      queue: SimulationQueueStore;
      endings: SimulationEndingStore;
      leases: LeaseStore;
      planner: SimulationPlanner;
      runner: SimulationRunner;
      logger: Logger;
    },
    private readonly options: Options,
  ) {}

  async start(): Promise<void> {
    const failed = await this.deps.store.failUnplanned(new Date());
    if (failed > 0) this.deps.logger.warn('simulations from before the queue failed', { count: failed });
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  /** Stops taking runs; running ones stop at their next yield and go back to the queue for another instance. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.polling;
    for (const { controller } of this.running.values()) controller.abort(new RunStopped('stopping'));
    await Promise.all([...this.running.values()].map(({ done }) => done));
  }

  /** Looks for work now (a run was queued or ended here), instead of at the next poll. */
  kick(): void {
    if (this.stopped || this.options.concurrency === 0) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = this.poll().finally(() => {
      this.polling = undefined;
    });
  }

  /** Stops a run executing here at its next yield (a cancel made on this instance; others see it at their heartbeat). */
  cancelHere(simulationId: string): void {
    this.running.get(simulationId)?.controller.abort(new RunStopped('cancelled'));
  }

  private hasRoom(): boolean {
    return !this.stopped && this.running.size < this.options.concurrency;
  }

  private async poll(): Promise<void> {
    try {
      do {
        this.pollAgain = false;
        if (!this.hasRoom()) return;
        for (const entry of await this.deps.queue.entries()) {
          if (!this.hasRoom()) return;
          if (!this.running.has(entry.simulationId)) await this.tryClaim(entry);
        }
      } while (this.pollAgain);
    } catch (error) {
      this.deps.logger.warn('simulation queue poll failed', { message: (error as Error).message });
    }
  }

  /** Takes an entry's run if nobody holds its lease: a queued run, or a running one whose instance died. */
  private async tryClaim(entry: QueueEntry): Promise<void> {
    const { store, queue, endings, leases, logger } = this.deps;
    const { instanceId, leaseMs } = this.options;
    const id = entry.simulationId;
    const now = new Date();
    if (!(await leases.acquire(id, instanceId, id, leaseMs, now))) return;
    // Read after taking the lease: whatever ended or changed the run before is visible now.
    const record = await store.get(id);
    const letGo = async (ended: boolean) => {
      if (ended) await queue.free(entry.slot, id);
      await leases.release(id, instanceId);
    };
    if (!record || isFinished(record.status)) return letGo(isStaleEntry(entry, record, now));
    // Never started once cancelled; the document is made to say so, as it was when the run was read.
    const { startedAt, heartbeatAt, progress: readProgress } = record;
    const endCancelled = async (cancel: SimulationEnding) => {
      await store.end(id, {
        ...cancelledFields(cancel),
        instance: null,
        startedAt,
        heartbeatAt,
        restarts: record.restarts,
        progress: readProgress,
      });
      return letGo(true);
    };
    const cancel = await this.cancelOf(id);
    if (cancel) return endCancelled(cancel);
    let restarts = record.restarts;
    if (record.status === 'running') {
      if (restarts >= MAX_RESTARTS) {
        const error = `Stopped ${restarts + 1} times while running (its instance died or lost the database); not started again.`;
        logger.error('simulation abandoned', { simulationId: id, restarts });
        const standing = await endings.decide(id, { outcome: 'failed', by: null, at: now });
        const fields = standing.outcome === 'cancelled' ? cancelledFields(standing) : { status: 'failed' as const, error, endedAt: now };
        await store.end(id, { ...fields, instance: null });
        return letGo(true);
      }
      restarts += 1;
      logger.warn('simulation taken over', { simulationId: id, restarts });
    }
    const started = { status: 'running', instance: instanceId, startedAt: now, heartbeatAt: now, restarts } as const;
    const progress = { done: 0, total: record.progress.total };
    if (!(await store.claim(id, record.status, { ...started, progress }))) return letGo(false);
    // On FerretDB v1 the claim wrote back the whole document it read: a cancel landing in between was
    // overwritten in the run's document, but not in its ending, which is read after the claim's write.
    const cancelled = await this.cancelOf(id);
    if (cancelled) return endCancelled(cancelled);
    this.execute({ ...record, ...started, progress });
  }

  private execute(record: SimulationRecord): void {
    const controller = new AbortController();
    const done = this.runHeld(record, controller).finally(() => {
      this.running.delete(record.id);
      this.kick();
    });
    this.running.set(record.id, { controller, done });
  }

  /** Runs a simulation this instance holds the lease of, and records how it ended. */
  private async runHeld(record: SimulationRecord, controller: AbortController): Promise<void> {
    const { store, queue, leases, planner, runner, logger } = this.deps;
    const { instanceId, leaseMs } = this.options;
    const { id } = record;
    const progress = { ...record.progress };
    const heartbeat = new Heartbeat(async () => {
      if (!(await leases.renew(id, instanceId, leaseMs))) return controller.abort(new RunStopped('lost'));
      const status = await store.heartbeat(id, instanceId, { ...progress });
      if (status === undefined) controller.abort(new RunStopped('lost'));
      // After the heartbeat's write, which may have overwritten a cancelled document (as the claim may).
      else if (status === 'cancelled' || (await this.cancelOf(id))) controller.abort(new RunStopped('cancelled'));
    }, logger);
    logger.info('simulation started', { simulationId: id, restarts: record.restarts });
    let ending: Ending;
    try {
      const sides = await planner.sides(record.plan);
      const { result, notes } = await runner.run(record.plan, sides, {
        signal: controller.signal,
        onProgress: (count) => {
          progress.done = count;
        },
      });
      // Inputs may have come or gone since they were counted: at the end, the total is what was read.
      const report = { ...record.header, ...(await runner.withoutErased(result)), notes };
      ending = { fields: { status: 'succeeded', result: report, progress: { done: progress.done, total: progress.done } } };
    } catch (error) {
      if (error instanceof RunStopped) ending = { reason: error.reason };
      else {
        logger.error('simulation failed', { simulationId: id, message: (error as Error).message });
        ending = { fields: { status: 'failed', error: (error as Error).message, progress } };
      }
    }
    await heartbeat.stop();
    const outcome = await this.record(record, ending, progress);
    logger.info('simulation ended', { simulationId: id, outcome, done: progress.done });
    if (outcome === 'lost') return;
    // The record is final (or queued again) before the lease goes: whoever takes the lease next reads it.
    // A run whose end could not be recorded keeps its entry: it is taken over and run again.
    if (outcome !== 'queued' && outcome !== 'unrecorded') await queue.free(record.queueSlot, id).catch(() => undefined);
    await leases.release(id, instanceId).catch(() => undefined);
  }

  /**
   * Records how a run held here ended. Its ending is decided first, by an insert that a cancel may
   * have won: a cancel that landed meanwhile wins over any other ending.
   */
  private async record(
    record: SimulationRecord,
    ending: Ending,
    progress: SimulationRecord['progress'],
  ): Promise<'succeeded' | 'failed' | 'queued' | 'cancelled' | 'lost' | 'unrecorded'> {
    const { store, endings, logger } = this.deps;
    const { instanceId } = this.options;
    if ('reason' in ending && ending.reason === 'lost') return 'lost';
    if ('reason' in ending && ending.reason === 'cancelled') return this.recordCancelled(record.id, progress);
    const endedAt = new Date();
    const fields =
      'fields' in ending
        ? { ...ending.fields, endedAt }
        : { status: 'queued' as const, instance: null, startedAt: null, heartbeatAt: null, progress: { done: 0, total: progress.total } };
    try {
      if ('fields' in ending) {
        const standing = await endings.decide(record.id, { outcome: ending.fields.status, by: null, at: endedAt });
        if (standing.outcome === 'cancelled') return this.recordCancelled(record.id, progress);
      }
      if (await store.settle(record.id, instanceId, 'running', fields)) return fields.status;
    } catch (error) {
      logger.warn('simulation end not recorded', { simulationId: record.id, message: (error as Error).message });
      return 'unrecorded';
    }
    return this.recordCancelled(record.id, progress);
  }

  /** Makes a cancelled run's document say so (a cancel from before cancels were recorded apart is already in it). */
  private async recordCancelled(id: string, progress: SimulationRecord['progress']): Promise<'cancelled'> {
    const { store } = this.deps;
    const { instanceId } = this.options;
    const cancel = await this.cancelOf(id).catch(() => undefined);
    const written = cancel
      ? store.settleCancelled(id, instanceId, cancel, progress)
      : store.settle(id, instanceId, 'cancelled', { progress });
    await written.catch(() => undefined);
    return 'cancelled';
  }

  /** The cancel that stands for a run, if any. */
  private async cancelOf(id: string): Promise<SimulationEnding | undefined> {
    const ending = await this.deps.endings.get(id);
    return ending?.outcome === 'cancelled' ? ending : undefined;
  }
}

/** Calls `beat` every HEARTBEAT_MS, one call at a time; stop() waits for the call in flight. */
class Heartbeat {
  private inFlight: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(beat: () => Promise<void>, logger: Logger) {
    this.timer = setInterval(() => {
      this.inFlight = this.inFlight.then(beat).catch((error: Error) => {
        logger.warn('simulation heartbeat failed', { message: error.message });
      });
    }, HEARTBEAT_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }
}
