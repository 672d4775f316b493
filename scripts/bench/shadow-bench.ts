import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchDatabase } from './bench-database.js';
import type { BenchOptions } from './bench-options.js';
import { cpuMeter } from './child-process.js';
import { cpuMsPerOk } from './http-tables.js';
import { seedProfiles, workload } from './http-workload.js';
import { type MeteredLoad, runLoad } from './load-run.js';
import { startService } from './service-client.js';
import { fmt, percent, type Table } from './table.js';
import { median, nowMs, since, sleep } from './timing.js';
import { mulberry32 } from '../../tests/helpers/generators.js';
import { type ComposedDecision, composeDecision } from '../../src/engine/decision-outcome.js';
import type { RulesetEvaluation } from '../../src/engine/ruleset-evaluation.js';
import { evaluatorFactory } from '../../src/engine/evaluator-factory.js';
import { differences, ShadowTally } from '../../src/features/shadow/shadow-tally.js';
import { type BenchInput, generateInputs, loadShippedRulesets, packFactNames } from './bench-inputs.js';

/** The shipped ruleset shadowed: the one with the most rules, so the figure is the dearest single shadow. */
export const SHADOWED_RULESET = 'customer-tags';
/** Alternating runs without and with the shadow, so that a drift of the machine weighs on both alike. */
const RUNS = ['without', 'with', 'without', 'with'] as const;

export interface ShadowRun {
  shadow: boolean;
  load: MeteredLoad;
  /** The service's CPU (user + system) per answer 200, in ms. */
  cpuMsPerDecision: number;
}

export interface ShadowResults {
  ruleset: string;
  rules: number;
  profiles: number;
  connections: number;
  seconds: number;
  runs: ShadowRun[];
  /** Mean CPU per decision with the shadow ÷ without, minus one: what the shadow adds, measured over HTTP. */
  added: number;
  /** The two runs without a shadow, the slower ÷ the faster, minus one: the noise of the HTTP figure on this machine. */
  noise: number;
  /** In-process: the shadow's own work per decision (evaluate, compose, compare, count), CPU µs, median of rounds. */
  shadowWorkUs: number;
  /** shadowWorkUs ÷ the service's CPU per decision without a shadow (mean of those runs): what the shadow adds, derived. */
  addedDerived: number;
  /** Decisions the shadow report counted over the runs with it (it is reset at each PUT; the last run's). */
  reportedDecisions: number;
}

/**
 * The cost of a shadow: our service on the hot profiles at the normal connection count, runs without
 * and with a shadow version of SHADOWED_RULESET (its own rules, published again as version 2), the
 * service's CPU per decision compared in the same run.
 */
export async function benchShadow(options: BenchOptions, db: BenchDatabase, log: (line: string) => void): Promise<ShadowResults> {
  const started = nowMs();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'decisioning-bench-shadow-'));
  const profiles = options.httpHotProfiles;
  const wl = workload(options.seed, profiles, profiles, options.httpEvents);
  try {
    // A roomy budget: on a busy machine decisions past 200 ms are answered 503 after their work was done,
    // which would charge their CPU to the few answered 200 and drown what the shadow adds.
    const service = await startService(db, 'shadow', { dataDir: path.join(workDir, 'data'), env: { DECISION_TIMEOUT_MS: '10000' } });
    try {
      const database = await db.connect(service.dbName);
      try {
        const collections = database.connection.db!;
        await seedProfiles(options.seed, profiles, collections.collection('profiles'), collections.collection('bench_unused'), log);
        await collections.dropCollection('bench_unused');
      } finally {
        await database.close();
      }
      const active = await service.call<{ rules: unknown[] }>('GET', `/v1/rulesets/${SHADOWED_RULESET}/versions/1`);
      await service.call('PUT', `/v1/rulesets/${SHADOWED_RULESET}/draft`, { rules: active.rules, tests: [] });
      await service.call('POST', `/v1/rulesets/${SHADOWED_RULESET}/versions`, { activate: false });
      const key = `Bearer ${await service.issueKey('bench-loan-system', ['decide'])}`;
      const spec = (idPrefix: string, seconds: number) => ({
        url: service.child.url,
        path: '/v1/decisions',
        headers: { Authorization: key },
        body: () => wl.body('hot'),
        seconds,
        connections: options.httpConnections,
        idPrefix,
        // A CPU-per-decision figure wants decisions, not a storm of refusals: clients wait as the contract asks.
        honorRetryAfter: true,
      });
      if (options.httpWarmupSeconds > 0) await runLoad(spec('shadow-warmup', options.httpWarmupSeconds));
      const pids = { service: service.child.pid };
      const runs: ShadowRun[] = [];
      let reportedDecisions = 0;
      for (const [index, kind] of RUNS.entries()) {
        const shadow = kind === 'with';
        if (shadow) await service.call('PUT', `/v1/rulesets/${SHADOWED_RULESET}/shadow`, { version: 2 });
        else if (index > 0) await service.call('DELETE', `/v1/rulesets/${SHADOWED_RULESET}/shadow`);
        await sleep(500);
        log(`shadow: run ${index + 1} of ${RUNS.length}, ${kind} a shadow, for ${options.httpSeconds} s (${since(started)})`);
        const meter = cpuMeter(pids);
        const run = await runLoad(spec(`shadow-${index}-${kind}`, options.httpSeconds));
        const load = { ...run.result, cpuSeconds: meter.stop() };
        runs.push({ shadow, load, cpuMsPerDecision: cpuMsPerOk(load, 'service') });
        if (shadow) {
          await sleep(200);
          reportedDecisions = (await service.call<{ decisions: number }>('GET', `/v1/rulesets/${SHADOWED_RULESET}/shadow`)).decisions;
        }
      }
      const mean = (shadow: boolean) => {
        const values = runs.filter((run) => run.shadow === shadow).map((run) => run.cpuMsPerDecision);
        return values.reduce((sum, value) => sum + value, 0) / values.length;
      };
      const without = runs.filter((run) => !run.shadow).map((run) => run.cpuMsPerDecision);
      log(`shadow: timing the shadow's own work in-process (${since(started)})`);
      const shadowWorkUs = await timeShadowWork(options);
      return {
        ruleset: SHADOWED_RULESET,
        rules: active.rules.length,
        noise: Math.max(...without) / Math.min(...without) - 1,
        shadowWorkUs,
        addedDerived: shadowWorkUs / 1000 / mean(false),
        profiles,
        connections: options.httpConnections,
        seconds: options.httpSeconds,
        runs,
        added: mean(true) / mean(false) - 1,
        reportedDecisions,
      };
    } finally {
      await service.child.stop(10_000);
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * What ShadowEvaluation does per decision, on generated inputs with the shipped rulesets active: the
 * shadow version's evaluation (through the service's evaluator factory, awaited as the service awaits
 * it), the decision composed again with it, the comparison and the count. CPU time of each round.
 */
async function timeShadowWork(options: BenchOptions): Promise<number> {
  const create = evaluatorFactory(options.service.engine);
  const shipped = loadShippedRulesets();
  const active = shipped.map(({ identity, rules }) => create(identity, rules));
  const index = shipped.findIndex((ruleset) => ruleset.identity.id === SHADOWED_RULESET);
  const candidate = create({ ...shipped[index]!.identity, version: 2, checksum: 'sha256:bench-candidate' }, shipped[index]!.rules);
  const inputs = generateInputs(mulberry32(options.seed), Math.min(options.profiles, 5000), packFactNames(active.map((a) => a.factNames)));
  const prepared: { input: BenchInput; evaluations: RulesetEvaluation[]; composed: ComposedDecision }[] = [];
  for (const input of inputs) {
    const evaluations = await Promise.all(active.map((ruleset) => ruleset.evaluate(input.facts, input.eventTime)));
    prepared.push({ input, evaluations, composed: composeDecision(evaluations, options.service.outcome) });
  }
  const tally = new ShadowTally();
  const pass = async () => {
    for (const [n, { input, evaluations, composed }] of prepared.entries()) {
      const shadow = await candidate.evaluate(input.facts, input.eventTime);
      const replaced = evaluations.map((evaluation, at) => (at === index ? shadow : evaluation));
      const changed = differences(composed, composeDecision(replaced, options.service.outcome));
      tally.record(`dec_${n}`, evaluations[index]!, shadow, changed, input.eventTime);
    }
  };
  await pass();
  const roundsUs: number[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    const before = process.cpuUsage();
    await pass();
    const used = process.cpuUsage(before);
    roundsUs.push((used.user + used.system) / prepared.length);
  }
  return median(roundsUs);
}

export function shadowTables(results: ShadowResults): Table[] {
  return [
    {
      title: `Shadow evaluation: our service, ${results.connections} connections, ${results.profiles.toLocaleString('en-US')} hot profiles, ${results.seconds} s per run, with and without a shadow of ${results.ruleset} (${results.rules} rules)`,
      columns: ['run', 'shadow', 'decisions/s (200)', 'service CPU ms/decision', 'p50 ms', 'p99 ms'],
      rows: results.runs.map((run, index) => [
        String(index + 1),
        run.shadow ? 'yes' : 'no',
        fmt(run.load.okPerSecond),
        fmt(run.cpuMsPerDecision, 3),
        fmt(run.load.latencyMs.p50, 2),
        fmt(run.load.latencyMs.p99, 2),
      ]),
      notes: [
        `the shadow's own work, in-process: ${fmt(results.shadowWorkUs, 2)} µs of CPU per decision = ${percent(results.addedDerived)} of the service's CPU per decision without a shadow (the limit is 15 %)`,
        `over HTTP, the runs with a shadow used ${percent(results.added)} more service CPU per decision than those without; the two runs without differ by ${percent(results.noise)} (the noise of this machine)`,
        `the shadow report of the last run with it counted ${results.reportedDecisions.toLocaleString('en-US')} decisions`,
      ],
    },
  ];
}
