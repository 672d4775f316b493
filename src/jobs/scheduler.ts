import { randomUUID } from 'node:crypto';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logging/logger.js';
import { conflict, notFound } from '../errors/domain-error.js';
import type { JobRun, JobStore } from './job-store.js';
import { type JobMetrics, noMetrics } from '../metrics/service-metrics.js';

export type JobCounts = Record<string, number | string>;

/** What a running job may do: report progress (kept on its run and its lease renewed) and notice shutdown. */
export interface JobContext {
  runId: string;
  startedAt: Date;
  /** Aborted when the instance shuts down: stop at the next checkpoint. */
  signal: AbortSignal;
  progress(counts: JobCounts): void;
}

export interface JobDefinition {
  name: string;
  description: string;
  schedule: string;
  run(context: JobContext): Promise<JobCounts>;
}

export interface JobView {
  name: string;
  description: string;
  schedule: string;
  running: boolean;
  lastRun: JobRun | null;
  nextRun: string | null;
}

interface Options {
  instanceId: string;
  timezone: string;
  leaseMs: number;
  /** Runs and durations by job and status. */
  metrics?: JobMetrics;
}

/**
 * The one scheduler: node-cron fires each job on every instance, and the database decides which
 * instance runs it. A scheduled run's id is (job, scheduled time), so exactly one instance records
 * it; the job's lease stops a run from overlapping another (scheduled or manual) and expires when a
 * crashed holder stops renewing it. Every run is recorded with its counts and errors.
 */
export class JobScheduler {
  private readonly jobs = new Map<string, JobDefinition>();
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(
    private readonly store: JobStore,
    private readonly logger: Logger,
    private readonly options: Options,
  ) {}

  register(job: JobDefinition): void {
    if (!cron.validate(job.schedule))
      throw new Error(`JobScheduler: register() got an invalid schedule for ${job.name}: "${job.schedule}"`);
    this.jobs.set(job.name, job);
  }

  start(): void {
    for (const job of this.jobs.values()) {
      const task = cron.schedule(job.schedule, (context) => this.runScheduled(job.name, context.date), {
        name: job.name,
        timezone: this.options.timezone,
      });
      this.tasks.set(job.name, task);
    }
  }

  /** Stops scheduling, asks running jobs to stop at their next checkpoint, and waits for them. */
  async stop(): Promise<void> {
    for (const task of this.tasks.values()) await task.stop();
    this.tasks.clear();
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.all([...this.running.values()].map(({ done }) => done));
  }

  async list(): Promise<JobView[]> {
    return Promise.all([...this.jobs.values()].map((job) => this.view(job)));
  }

  async view(job: JobDefinition): Promise<JobView> {
    const [lastRun, lease] = await Promise.all([this.store.lastRun(job.name), this.store.activeLease(job.name)]);
    const next = this.tasks.get(job.name)?.getNextRun() ?? null;
    return {
      name: job.name,
      description: job.description,
      schedule: job.schedule,
      running: lease !== undefined,
      lastRun: lastRun ?? null,
      nextRun: next ? next.toISOString() : null,
    };
  }

  require(name: string): JobDefinition {
    const job = this.jobs.get(name);
    if (!job) throw notFound(`No job named ${name}.`);
    return job;
  }

  /** Runs a job now (POST /v1/jobs/{name}/run); 409 when it is already running anywhere. */
  async runManual(name: string, options: { wait: boolean }): Promise<JobRun> {
    const job = this.require(name);
    const runId = `${name}@manual-${randomUUID()}`;
    if (!(await this.store.acquireLease(name, this.options.instanceId, runId, this.options.leaseMs))) {
      throw conflict(`Job ${name} is already running.`);
    }
    const run = this.newRun(job, runId, 'manual', null);
    await this.store.insertRun(run);
    const done = this.execute(job, run);
    if (options.wait) await done;
    return (await this.store.getRun(runId)) ?? run;
  }

  /** A cron tick: claim the slot, then the lease, then run. Losing either means another instance has it. */
  async runScheduled(name: string, scheduledAt: Date): Promise<void> {
    const job = this.jobs.get(name);
    if (!job) return;
    const slot = new Date(Math.floor(scheduledAt.getTime() / 1000) * 1000);
    const run = this.newRun(job, `${name}@${slot.toISOString()}`, 'schedule', slot);
    try {
      if (!(await this.store.insertRun(run))) return;
      if (!(await this.store.acquireLease(name, this.options.instanceId, run.id, this.options.leaseMs))) {
        const holder = await this.store.activeLease(name);
        await this.store.updateRun(run.id, {
          status: 'skipped',
          endedAt: new Date(),
          error: `still running: ${holder?.runId ?? 'another run'}`,
        });
        return;
      }
      await this.execute(job, run);
    } catch (error) {
      this.logger.error('job scheduling failed', { job: name, message: (error as Error).message });
    }
  }

  private newRun(job: JobDefinition, id: string, trigger: JobRun['trigger'], slot: Date | null): JobRun {
    const now = new Date();
    return {
      id,
      job: job.name,
      trigger,
      slot,
      instance: this.options.instanceId,
      startedAt: now,
      endedAt: null,
      heartbeatAt: now,
      status: 'running',
      counts: {},
      error: null,
    };
  }

  /** Runs while holding the lease: heartbeats renew it and store progress; the outcome is recorded either way. */
  private async execute(job: JobDefinition, run: JobRun): Promise<void> {
    const controller = new AbortController();
    let counts: JobCounts = {};
    const heartbeat = setInterval(
      () => {
        void Promise.all([
          this.store.renewLease(job.name, this.options.instanceId, this.options.leaseMs),
          this.store.updateRun(run.id, { heartbeatAt: new Date(), counts }),
        ]).catch((error: Error) => this.logger.warn('job heartbeat failed', { job: job.name, message: error.message }));
      },
      Math.max(1000, Math.floor(this.options.leaseMs / 3)),
    );
    const metrics = this.options.metrics ?? noMetrics.jobs;
    const seconds = () => (Date.now() - run.startedAt.getTime()) / 1000;
    const done = (async () => {
      this.logger.info('job started', { job: job.name, runId: run.id });
      try {
        counts = await job.run({ runId: run.id, startedAt: run.startedAt, signal: controller.signal, progress: (next) => (counts = next) });
        await this.store.updateRun(run.id, { status: 'succeeded', endedAt: new Date(), heartbeatAt: new Date(), counts });
        this.logger.info('job succeeded', { job: job.name, runId: run.id, counts });
        metrics.finished(job.name, 'succeeded', seconds());
      } catch (error) {
        const message = (error as Error).message;
        this.logger.error('job failed', { job: job.name, runId: run.id, message });
        metrics.finished(job.name, 'failed', seconds());
        await this.store.updateRun(run.id, { status: 'failed', endedAt: new Date(), counts, error: message }).catch(() => undefined);
      } finally {
        clearInterval(heartbeat);
        await this.store.releaseLease(job.name, this.options.instanceId).catch(() => undefined);
        this.running.delete(run.id);
      }
    })();
    this.running.set(run.id, { controller, done });
    return done;
  }
}
