import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logging/logger.js';

interface Job {
  name: string;
  schedule: string;
  run: () => Promise<unknown>;
}

/** Runs named jobs on cron schedules; a run never overlaps the previous run of the same job. */
export class Scheduler {
  private readonly jobs: Job[] = [];
  private readonly tasks: ScheduledTask[] = [];
  private readonly running = new Set<string>();

  constructor(private readonly logger: Logger) {}

  add(name: string, schedule: string, run: () => Promise<unknown>): void {
    if (!cron.validate(schedule)) throw new Error(`Scheduler: add() got an invalid cron schedule for ${name}: "${schedule}"`);
    this.jobs.push({ name, schedule, run });
  }

  start(): void {
    for (const job of this.jobs) {
      this.tasks.push(cron.schedule(job.schedule, () => void this.runNow(job.name), { name: job.name }));
    }
  }

  async stop(): Promise<void> {
    for (const task of this.tasks) await task.stop();
    this.tasks.length = 0;
  }

  /** Runs a job now unless it is already running here; errors are logged, never thrown. */
  async runNow(name: string): Promise<void> {
    const job = this.jobs.find((candidate) => candidate.name === name);
    if (!job || this.running.has(name)) return;
    this.running.add(name);
    try {
      const result = await job.run();
      this.logger.debug('job done', { job: name, result });
    } catch (error) {
      this.logger.error('job failed', { job: name, message: (error as Error).message });
    } finally {
      this.running.delete(name);
    }
  }
}
