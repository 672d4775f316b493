import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { admissionControl } from '../../src/http/admission.js';
import { ConcurrencyLimiter } from '../../src/http/concurrency-limiter.js';
import { createLogger } from '../../src/logging/logger.js';
import { ServiceMetrics } from '../../src/metrics/service-metrics.js';

/** An app whose one route holds every admitted request until released; each request carries a decide caller. */
function heldApp() {
  const lines: { message: string; meta: Record<string, unknown> }[] = [];
  const logger = createLogger('debug', { silent: true });
  for (const level of ['warn', 'info', 'debug'] as const) {
    logger[level] = ((message: string, meta: Record<string, unknown> = {}) => {
      lines.push({ message, meta });
      return logger;
    }) as never;
  }
  const limiter = new ConcurrencyLimiter({
    initialLimit: 1,
    minLimit: 1,
    maxLimit: 1,
    maxQueue: 0,
    queueMs: 100,
    latencyTargetMs: 100,
    backoffRatio: 0.9,
  });
  const releases: (() => void)[] = [];
  const app = express();
  app.use((_req, res, next) => {
    res.locals.caller = { keyId: 'k', name: 'loan-system', roles: ['decide'] };
    next();
  });
  app.post('/v1/decisions', admissionControl({ limiter, roles: ['decide'], logger, metrics: new ServiceMetrics().admission }));
  app.post('/v1/decisions', (_req, res) => {
    releases.push(() => res.json({ ok: true }));
  });
  const releaseAll = () => {
    for (const release of releases.splice(0)) release();
  };
  return { app, lines, releaseAll };
}

describe('admissionControl() logging', () => {
  it('when decisions are shed, then one warning gives the limiter state and reason, not a line per refusal, and no request data', async () => {
    const { app, lines, releaseAll } = heldApp();
    const server = app.listen(0);
    try {
      const agent = supertest(server);
      const held = new Promise((resolve, reject) =>
        agent.post('/v1/decisions').send({ profileId: 'SECRET-PROFILE' }).then(resolve, reject),
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const shed = await Promise.all([1, 2, 3].map(() => agent.post('/v1/decisions').send({ profileId: 'SECRET-PROFILE' })));
      expect(shed.map((answer) => answer.status)).to.deep.equal([503, 503, 503]);
      releaseAll();
      expect((await held) as { status: number }).to.have.property('status', 200);

      const warnings = lines.filter((line) => line.message.startsWith('admission: shedding'));
      expect(warnings).to.have.length(1);
      expect(warnings[0]!.meta).to.include({ reason: 'queue-full', limit: 1, inFlight: 1, queued: 0 });
      expect(JSON.stringify(lines)).not.to.contain('SECRET-PROFILE');
    } finally {
      server.close();
    }
  });
});
