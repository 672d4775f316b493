import { Router } from 'express';
import { route } from '../http/route.js';
import { decodeCursor, encodeCursor, pageQueryProperties } from '../http/pagination.js';
import { listOf } from '../http/list-schema.js';
import type { JobRun, JobStore } from './job-store.js';
import type { JobScheduler } from './scheduler.js';

const TAG = 'Jobs';
const nameParam = { name: { type: 'string', pattern: '^[a-z-]{1,64}$' } } as const;

const instant = { type: 'string', format: 'date-time' } as const;
const instantOrNull = { type: ['string', 'null'], format: 'date-time' } as const;

export const runSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    job: { type: 'string' },
    trigger: { type: 'string', enum: ['schedule', 'manual'] },
    slot: { ...instantOrNull, description: 'The scheduled time this run is for (scheduled runs only)' },
    instance: { type: 'string', description: 'The service instance that ran it' },
    startedAt: instant,
    endedAt: instantOrNull,
    heartbeatAt: { ...instant, description: "Last sign of life; a running run's heartbeat older than the lease means it was abandoned" },
    status: { type: 'string', enum: ['running', 'succeeded', 'failed', 'skipped'] },
    counts: {
      type: 'object',
      additionalProperties: { type: ['number', 'string'] },
      description: 'What the run counted (its progress while running)',
    },
    error: { type: ['string', 'null'] },
  },
  required: ['id', 'job', 'trigger', 'slot', 'instance', 'startedAt', 'endedAt', 'heartbeatAt', 'status', 'counts', 'error'],
  additionalProperties: false,
} as const;

export const jobViewSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    schedule: { type: 'string', description: 'cron expression, in JOBS_TIMEZONE' },
    running: { type: 'boolean', description: 'Whether a run holds the lease now (on any instance)' },
    lastRun: { anyOf: [runSchema, { type: 'null' }], description: 'The latest run; while running, its counts are the progress so far' },
    nextRun: instantOrNull,
  },
  required: ['name', 'description', 'schedule', 'running', 'lastRun', 'nextRun'],
  additionalProperties: false,
} as const;

function runView(run: JobRun) {
  return {
    ...run,
    slot: run.slot ? new Date(run.slot).toISOString() : null,
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: run.endedAt ? new Date(run.endedAt).toISOString() : null,
    heartbeatAt: new Date(run.heartbeatAt).toISOString(),
  };
}

/** Scheduled jobs: what they are, when they run, and their history; admins can run one now. */
export function jobRoutes(scheduler: JobScheduler, store: JobStore): Router {
  const router = Router();

  route(
    router,
    {
      method: 'get',
      path: '/v1/jobs',
      summary: 'Jobs with their schedule, last run, next run and whether one is running',
      tag: TAG,
      roles: ['admin', 'audit:read'],
      responses: { 200: { description: 'Jobs', schema: listOf(jobViewSchema) } },
    },
    async ({ res }) => {
      const jobs = await scheduler.list();
      res.json({ items: jobs.map((job) => ({ ...job, lastRun: job.lastRun ? runView(job.lastRun) : null })), nextCursor: null });
    },
  );

  route(
    router,
    {
      method: 'post',
      path: '/v1/jobs/:name/run',
      summary: 'Run a job now (202 while it runs; 200 with the finished run when ?wait=true); 409 if it is running',
      tag: TAG,
      roles: ['admin'],
      params: nameParam,
      query: { type: 'object', properties: { wait: { type: 'boolean', default: false } }, additionalProperties: false },
      responses: { 202: { description: 'Started', schema: runSchema }, 200: { description: 'Finished (wait=true)', schema: runSchema } },
    },
    async ({ res, params, query }) => {
      const run = await scheduler.runManual(params.name, { wait: query.wait === true });
      res.status(run.status === 'running' ? 202 : 200).json(runView(run));
    },
  );

  route(
    router,
    {
      method: 'get',
      path: '/v1/jobs/:name/runs',
      summary: "A job's runs, newest first",
      tag: TAG,
      roles: ['admin', 'audit:read'],
      params: nameParam,
      query: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
      responses: { 200: { description: 'Runs', schema: listOf(runSchema) } },
    },
    async ({ res, params, query }) => {
      scheduler.require(params.name);
      const before = decodeCursor(query.cursor, { startedAt: 'instant', id: 'id' });
      const runs = await store.listRuns(params.name, query.limit, before);
      const last = runs.length === query.limit ? runs[runs.length - 1] : undefined;
      res.json({
        items: runs.map(runView),
        nextCursor: last ? encodeCursor({ startedAt: new Date(last.startedAt).toISOString(), id: last.id }) : null,
      });
    },
  );

  return router;
}
