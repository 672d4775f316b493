/**
 * The naive decision service the HTTP section compares ours with: what a team would write in an
 * afternoon with Express, mongoose and json-rules-engine on the same database. Per decision it finds
 * the profile, runs the four shipped rulesets through json-rules-engine (a fresh Engine per ruleset
 * and request, since runs on a shared Engine must not overlap), inserts one log document holding the
 * request, the facts and every rule result, and answers. No velocity history (applicationsLast24h is
 * absent), no hashing, no idempotency, no admission control, no budget.
 *
 * It computes the facts with our fact library and registers our operators, so that it evaluates the
 * same rules to the same results; the rest is plain. Run by http-bench.ts:
 * `MONGODB_URI=… MONGODB_DB=… PORT=… node naive-service.js`.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import express from 'express';
import { Engine, type RuleResult } from 'json-rules-engine';
import mongoose from 'mongoose';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { engineOperators, runAtEventTime } from '../../src/engine/engine-operators.js';
import { collectFactNames } from '../../src/engine/rule-facts.js';
import type { Rule } from '../../src/engine/rule-schema.js';
import { toEngineRule } from '../../src/engine/reference-ruleset.js';
import type { DecisionEvent } from '../../src/facts/decision-event.js';
import { buildFactContext, computeFacts } from '../../src/facts/fact-library.js';
import { readShippedRulesets } from '../../src/features/rulesets/shipped-rulesets.js';
import { NAIVE_LOG, NAIVE_PROFILES } from './http-workload.js';

const Profile = mongoose.model('Profile', new mongoose.Schema({ _id: String }, { strict: false }), NAIVE_PROFILES);
const DecisionLog = mongoose.model<Record<string, unknown>>(
  'DecisionLog',
  new mongoose.Schema({ _id: String }, { strict: false }),
  NAIVE_LOG,
);

const rulesets = readShippedRulesets(path.join(REPO_ROOT, 'rulesets')).map((shipped) => ({
  id: shipped.id,
  rules: (shipped.rules as Rule[]).map(toEngineRule),
  facts: collectFactNames(shipped.rules as Rule[]),
}));
const allFacts = new Set(rulesets.flatMap((ruleset) => [...ruleset.facts]));
const operators = engineOperators();

interface RuleJson {
  name: string;
  result: boolean;
  event: { type: string; params: Record<string, unknown> };
  conditions: unknown;
}

async function runRuleset(ruleset: (typeof rulesets)[number], facts: Record<string, unknown>, eventTime: Date) {
  const engine = new Engine(ruleset.rules, { allowUndefinedFacts: true });
  for (const operator of operators) engine.addOperator(operator);
  const { results, failureResults } = await runAtEventTime(eventTime, () => engine.run(facts));
  return [...results, ...failureResults].map((result: RuleResult) => ({ ruleset: ruleset.id, ...(result.toJSON(false) as RuleJson) }));
}

const app = express();
app.use(express.json());
app.post('/v1/decisions', async (req, res) => {
  try {
    const { profileId, event } = req.body as { profileId: string; event: DecisionEvent };
    const profile = await Profile.findById(profileId).lean();
    if (!profile) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such profile', details: [] } });
      return;
    }
    const context = buildFactContext(profile as never, event);
    const facts = computeFacts(context, allFacts);
    const results = (await Promise.all(rulesets.map((ruleset) => runRuleset(ruleset, facts, context.eventTime)))).flat();
    const fired = results.filter((result) => result.result === true);
    const score = fired.filter((r) => r.event.type === 'score').reduce((sum, r) => sum + Number(r.event.params.points), 0);
    const alerts = fired.filter((r) => r.event.type === 'alert').map((r) => r.event.params);
    const outcome =
      alerts.some((a) => a.severity === 'high') || score >= 70
        ? 'decline'
        : alerts.some((a) => a.severity === 'medium') || score >= 40
          ? 'review'
          : 'approve';
    const decision = {
      decisionId: randomUUID(),
      profileId,
      outcome,
      score,
      tags: fired.filter((r) => r.event.type === 'tag').map((r) => r.event.params.tag),
      products: fired.filter((r) => r.event.type === 'product').map((r) => r.event.params),
      alerts,
      explanations: results,
      evaluatedAt: new Date().toISOString(),
    };
    await DecisionLog.create({ _id: decision.decisionId, request: req.body, facts, ...decision, requestId: req.get('x-request-id') });
    res.setHeader('X-Request-Id', req.get('x-request-id') ?? '');
    res.json(decision);
  } catch (error) {
    res.status(500).json({ error: { code: 'INTERNAL', message: (error as Error).message, details: [] } });
  }
});
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});

async function main(): Promise<void> {
  await mongoose.connect(process.env.MONGODB_URI!, { dbName: process.env.MONGODB_DB, maxPoolSize: 20 });
  const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
    console.log(JSON.stringify({ message: 'ready', address: server.address() }));
  });
  server.keepAliveTimeout = 65_000;
  const stop = () => {
    server.close(() => void mongoose.disconnect().finally(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
