import { Router } from 'express';
import type { Connection } from 'mongoose';
import type { Config } from './config/config.js';
import type { Logger } from './logging/logger.js';
import type { Database } from './db/database.js';
import { healthRoutes } from './http/health-routes.js';
import { admissionControl, configuredLimiter } from './http/admission.js';
import { metricsRoutes } from './http/metrics-routes.js';
import type { ServiceMetrics } from './metrics/service-metrics.js';
import { ApiKeyStore } from './features/api-keys/api-key-store.js';
import { ApiKeyService } from './features/api-keys/api-key-service.js';
import { apiKeyRoutes } from './features/api-keys/api-key-routes.js';
import { bootstrapAdminAccess } from './features/api-keys/admin-bootstrap.js';
import { meRoutes } from './features/api-keys/me-routes.js';
import { AuditEventStore } from './features/audit/audit-event-store.js';
import { AuditTrail } from './features/audit/audit-trail.js';
import { auditRoutes } from './features/audit/audit-routes.js';
import { ProfileStore } from './features/profiles/profile-store.js';
import { ProfileStates } from './features/profiles/profile-states.js';
import { ProfileService } from './features/profiles/profile-service.js';
import { profileRoutes } from './features/profiles/profile-routes.js';
import { EraseProfileUseCase } from './features/erasure/erase-profile.js';
import { erasureRoutes } from './features/erasure/erasure-routes.js';
import { factRoutes } from './features/facts/fact-routes.js';
import { RulesetStore } from './features/rulesets/ruleset-store.js';
import { RulesetService } from './features/rulesets/ruleset-service.js';
import { RulesetPublisher } from './features/rulesets/ruleset-publisher.js';
import { RulesetRuntime } from './features/rulesets/ruleset-runtime.js';
import { rulesetRoutes } from './features/rulesets/ruleset-routes.js';
import { rulesetHistoryRoutes } from './features/rulesets/ruleset-history-routes.js';
import { installShippedRulesets } from './features/rulesets/shipped-rulesets.js';
import { DecisionLogStore } from './features/decisions/decision-log-store.js';
import { SealStore } from './features/decisions/seal-store.js';
import { RetirementStore } from './features/decisions/retirement-store.js';
import { ErasureStore } from './features/profiles/erasure-store.js';
import { EvidenceKey } from './crypto/evidence-key.js';
import { DecisionLogWriter } from './features/decisions/decision-log-writer.js';
import { DecisionSealer } from './features/decisions/decision-sealer.js';
import { LogVerifier } from './features/decisions/log-verifier.js';
import { MeasuredDecideUseCase } from './features/decisions/measured-decide.js';
import { VelocityStore } from './features/decisions/velocity-store.js';
import { VelocitySlotStore } from './features/profiles/velocity-slot-store.js';
import { SealFeed } from './features/decisions/seal-feed.js';
import { ReplayUseCase } from './features/decisions/replay.js';
import { LoggedExplanations } from './features/decisions/logged-explanations.js';
import { decisionRoutes } from './features/decisions/decision-routes.js';
import { logVerificationRoutes } from './features/decisions/log-verification-routes.js';
import { ReportStore } from './features/reports/report-store.js';
import { ReportService } from './features/reports/report-service.js';
import { reportRoutes } from './features/reports/report-routes.js';
import { engineDescription, evaluatorFactory } from './engine/evaluator-factory.js';
import { JobStore } from './jobs/job-store.js';
import { JobScheduler } from './jobs/scheduler.js';
import { jobRoutes } from './jobs/job-routes.js';
import { SimulationStore } from './features/simulation/simulation-store.js';
import { SimulationService } from './features/simulation/simulation-service.js';
import { SimulationQueueStore } from './features/simulation/simulation-queue-store.js';
import { SimulationEndingStore } from './features/simulation/simulation-ending-store.js';
import { SimulationPlanner } from './features/simulation/simulation-plan.js';
import { SimulationRunner } from './features/simulation/simulation-runner.js';
import { SimulationWorker } from './features/simulation/simulation-worker.js';
import { LeaseStore } from './db/lease-store.js';
import { simulationRoutes } from './features/simulation/simulation-routes.js';
import { retagJob } from './jobs/definitions/retag-job.js';
import { retentionJob } from './jobs/definitions/retention-job.js';
import { dailyReportJob } from './jobs/definitions/daily-report-job.js';
import { segmentExportJob } from './jobs/definitions/segment-export-job.js';
import { ListStore } from './features/lists/list-store.js';
import { ListRegistry } from './features/lists/list-registry.js';
import { ListService } from './features/lists/list-service.js';
import { listRoutes } from './features/lists/list-routes.js';
import { RetagChangeStore } from './jobs/retag-change-store.js';
import { retagChangeRoutes } from './jobs/retag-change-routes.js';
import { SHIPPED_LISTS } from './features/lists/shipped-lists.js';
import { SYSTEM_ACTOR } from './features/audit/audit-trail.js';
import { ShadowStore } from './features/shadow/shadow-store.js';
import { ShadowEvaluation } from './features/shadow/shadow-evaluation.js';
import { ShadowService } from './features/shadow/shadow-service.js';
import { shadowRoutes } from './features/shadow/shadow-routes.js';

/** Shadow evaluations one instance lets wait behind the decisions it answers; past this, decisions go unevaluated (counted). */
const SHADOW_MAX_PENDING = 1000;
import { SnoozeStore } from './features/snoozes/snooze-store.js';
import { SnoozeService } from './features/snoozes/snooze-service.js';
import { snoozeRoutes } from './features/snoozes/snooze-routes.js';
import { ReviewStore } from './features/reviews/review-store.js';
import { ReviewService } from './features/reviews/review-service.js';
import { reviewRoutes } from './features/reviews/review-routes.js';
import { AlertDetails } from './features/reviews/alert-detail.js';

/** Everything an instance runs, wired once: what the HTTP app serves and what start/stop must drive. */
export interface Services {
  keys: ApiKeyService;
  runtime: RulesetRuntime;
  /** The lists this instance holds: polled from start, stopped with the instance. */
  lists: ListRegistry;
  scheduler: JobScheduler;
  /** Executes queued background simulations: started with the instance, stopped before the database closes. */
  simulationWorker: SimulationWorker;
  sealer: DecisionSealer;
  /** Champion–challenger counts: flushed on stop, before the database closes. */
  shadows: ShadowEvaluation;
  /** Liveness and readiness: served without the database. */
  healthRouter: Router;
  /** Routes that need a caller but no database: they keep answering known keys while it is away. */
  databaseFreeRouters: Router[];
  routers: Router[];
}

async function createStores(connection: Connection, config: Config) {
  const stores = {
    auditEvents: new AuditEventStore(connection),
    apiKeys: new ApiKeyStore(connection),
    profiles: new ProfileStore(connection),
    rulesets: new RulesetStore(connection),
    decisionLog: new DecisionLogStore(connection),
    seals: new SealStore(connection),
    retirements: new RetirementStore(connection),
    // A decision that read a profile before its erasure began logs within the budget (its insert may take a little longer).
    erasures: new ErasureStore(connection, { exclusive: config.databaseExclusive, keepFinishedMs: 2 * config.decisionTimeoutMs + 250 }),
    jobs: new JobStore(connection),
    reports: new ReportStore(connection),
    simulations: new SimulationStore(connection),
    simulationQueue: new SimulationQueueStore(connection),
    simulationEndings: new SimulationEndingStore(connection),
    simulationLeases: new LeaseStore(connection, 'SimulationLease', 'simulation_leases'),
    velocity: new VelocityStore(connection),
    velocitySlots: new VelocitySlotStore(connection),
    lists: new ListStore(connection),
    retagChanges: new RetagChangeStore(connection),
    shadows: new ShadowStore(connection),
    snoozes: new SnoozeStore(connection),
    snoozeLeases: new LeaseStore(connection, 'SnoozeLease', 'snooze_leases'),
    reviews: new ReviewStore(connection),
  };
  await Promise.all(Object.values(stores).map((store) => store.init()));
  return stores;
}

/**
 * Stores → services → use cases → jobs → routers. Also installs the shipped rulesets, creates the
 * bootstrap key and loads the active rulesets, so that the instance is ready when this returns.
 */
export async function createServices(
  config: Config,
  logger: Logger,
  database: Database,
  instanceId: string,
  metrics: ServiceMetrics,
): Promise<Services> {
  const stores = await createStores(database.connection, config);
  const profileStates = new ProfileStates(stores.profiles, stores.velocitySlots, {
    exclusive: config.databaseExclusive,
    cacheBytes: config.profileCache.maxMb * 1024 * 1024,
    maxAgeMs: config.profileCache.maxAgeMs,
    counter: metrics.profileCache,
  });
  const key = new EvidenceKey(config.decisionSealKey);
  if (!key.keyed) {
    logger.warn(
      'DECISION_SEAL_KEY is not set: the decision log and audit trail are tamper-evident only against someone who cannot recompute their hashes (anyone who can write the database can)',
    );
  }
  const audit = new AuditTrail(stores.auditEvents, key);
  const keys = new ApiKeyService(stores.apiKeys, audit, config.decisionTimeoutMs, () => database.availability.unavailableReason());
  await bootstrapAdminAccess(keys, config.bootstrapAdminKey, logger);
  const profiles = new ProfileService(stores.profiles);
  const erasure = new EraseProfileUseCase({
    profiles: stores.profiles,
    erasures: stores.erasures,
    log: stores.decisionLog,
    velocity: stores.velocity,
    velocitySlots: stores.velocitySlots,
    simulations: stores.simulations,
    snoozes: stores.snoozes,
    audit,
    dataDir: config.dataDir,
    // A decision that read the profile before the erasure began lands its entry within its budget (the
    // insert it started may take a little longer): masking repeats until then.
    settleMs: 2 * config.decisionTimeoutMs + 250,
  });

  // Lists are polled as often as rulesets: a change reaches every instance within RULESET_POLL_MS.
  const listRegistry = new ListRegistry(stores.lists, logger, config.rulesetPollMs);
  await listRegistry.start();
  const lists = new ListService(listRegistry, audit);
  for (const shipped of SHIPPED_LISTS) await lists.ensure(shipped.id, shipped.description, SYSTEM_ACTOR);

  const createEvaluator = evaluatorFactory(config.engine);
  const runtime = new RulesetRuntime(stores.rulesets, logger, config.rulesetPollMs, createEvaluator);
  const rulesets = new RulesetService(stores.rulesets, audit, config.outcome, createEvaluator, config.protectedFacts, (id) =>
    listRegistry.exists(id),
  );
  const publisher = new RulesetPublisher(stores.rulesets, rulesets, audit, {
    fourEyes: config.fourEyes,
    onActivated: () => runtime.refresh(),
  });
  await installShippedRulesets(config.rulesetsDir, { store: stores.rulesets, rulesets, publisher, logger });
  await runtime.start();
  const shadows = new ShadowEvaluation(
    { store: stores.shadows, runtime, thresholds: config.outcome, logger },
    { instanceId, pollMs: config.rulesetPollMs, flushMs: config.shadowFlushMs, maxPending: SHADOW_MAX_PENDING },
  );
  await shadows.start();

  const explanations = new LoggedExplanations(runtime);
  // As the only client of its database, this instance sees every entry written: the sealer takes them from here.
  const sealFeed = config.databaseExclusive ? new SealFeed() : undefined;
  const decide = new MeasuredDecideUseCase(
    {
      profiles: profileStates,
      erasures: stores.erasures,
      key,
      runtime,
      log: stores.decisionLog,
      legacyVelocity: stores.velocity,
      writer: new DecisionLogWriter(stores.decisionLog, {
        feed: sealFeed,
        logger,
        unavailableReason: () => database.availability.unavailableReason(),
        metrics: metrics.logWriter,
        databaseErrors: metrics.database,
      }),
      thresholds: config.outcome,
      timeoutMs: config.decisionTimeoutMs,
      logger,
      engine: engineDescription(config.engine),
      lists: listRegistry,
      explanations,
      shadows,
      reasonsMax: config.reasonsMax,
    },
    metrics.decisions,
  );
  const replay = new ReplayUseCase(stores.decisionLog, runtime, config.outcome, explanations, config.reasonsMax, listRegistry);
  const verifier = new LogVerifier({
    log: stores.decisionLog,
    events: stores.auditEvents,
    seals: stores.seals,
    retirements: stores.retirements,
    profiles: stores.profiles,
    key,
    explanations,
    sealLagMs: config.sealLagMs,
  });
  const planner = new SimulationPlanner({ rulesets, runtime, createEvaluator });
  const runner = new SimulationRunner({
    profiles: stores.profiles,
    log: stores.decisionLog,
    thresholds: config.outcome,
    lists: listRegistry,
    reviews: stores.reviews,
    protectedFacts: config.protectedFacts,
  });
  const simulationWorker = new SimulationWorker(
    {
      store: stores.simulations,
      queue: stores.simulationQueue,
      endings: stores.simulationEndings,
      leases: stores.simulationLeases,
      planner,
      runner,
      logger,
    },
    { instanceId, concurrency: config.simulations.concurrency, leaseMs: config.simulations.leaseMs },
  );
  const simulations = new SimulationService({
    rulesets,
    planner,
    runner,
    store: stores.simulations,
    queue: stores.simulationQueue,
    endings: stores.simulationEndings,
    executor: simulationWorker,
    inlineLimit: config.simulations.inlineLimit,
    queuePerKey: config.simulations.queuePerKey,
  });
  const reports = new ReportService(stores.reports, stores.decisionLog, runtime, config.jobs.timezone);

  const sealer = new DecisionSealer(
    stores.decisionLog,
    stores.auditEvents,
    stores.seals,
    key,
    instanceId,
    config.sealLagMs,
    logger,
    sealFeed,
  );
  const { schedules } = config.jobs;
  const scheduler = new JobScheduler(stores.jobs, logger, {
    instanceId,
    timezone: config.jobs.timezone,
    leaseMs: config.jobs.leaseMs,
    metrics: metrics.jobs,
  });
  scheduler.register({
    name: 'seal-decisions',
    description: 'Chains the decision log entries logged since the last seal into a new seal',
    schedule: schedules['seal-decisions'],
    run: async () => sealer.sealDue(),
  });
  scheduler.register(
    retagJob(
      { profiles: stores.profiles, runtime, jobs: stores.jobs, logger, thresholds: config.outcome, changes: stores.retagChanges },
      schedules.retag,
    ),
  );
  scheduler.register(
    retentionJob(
      {
        log: stores.decisionLog,
        seals: stores.seals,
        retirements: stores.retirements,
        key,
        jobs: stores.jobs,
        audit,
        decisionRetentionDays: config.jobs.decisionRetentionDays,
        jobRunRetentionDays: config.jobs.jobRunRetentionDays,
        simulations: stores.simulations,
        simulationEndings: stores.simulationEndings,
        simulationRetentionDays: config.simulations.retentionDays,
        retagChanges: stores.retagChanges,
        velocitySlots: stores.velocitySlots,
      },
      schedules.retention,
    ),
  );
  scheduler.register(dailyReportJob(reports, config.jobs.timezone, schedules['daily-report']));
  scheduler.register(
    segmentExportJob(
      stores.profiles,
      { dataDir: config.dataDir, tags: config.jobs.segmentExportTags, timeZone: config.jobs.timezone },
      schedules['segment-export'],
    ),
  );

  const healthRouter = healthRoutes([
    async () => {
      const reason = database.availability.unavailableReason();
      if (reason !== undefined) return `The database is unavailable: ${reason}.`;
      return (await database.ping()) ? undefined : 'The database does not answer.';
    },
    async () => (runtime.isLoaded() ? undefined : 'Active rulesets are not loaded yet.'),
  ]);
  // Served with a key validated earlier even while the database is away: they read nothing from it.
  const databaseFreeRouters = [factRoutes(), meRoutes(), metricsRoutes(metrics, { isPublic: config.metricsPublic })];
  const reviews = new ReviewService({ reviews: stores.reviews, log: stores.decisionLog, audit });
  const routers = [
    // Before the decision route: a decision is admitted, queued or shed before its body is read.
    ...(config.admission.enabled
      ? [
          Router().post(
            '/v1/decisions',
            admissionControl({
              limiter: configuredLimiter(config.admission, logger),
              roles: ['decide'],
              logger,
              metrics: metrics.admission,
            }),
          ),
        ]
      : []),
    // First of the routes: the decision path, the one under load, walks past no other route.
    decisionRoutes(decide, stores.decisionLog, replay, explanations),
    apiKeyRoutes(keys),
    profileRoutes(profiles),
    erasureRoutes(erasure),
    rulesetRoutes(rulesets, publisher, stores.rulesets, runtime),
    rulesetHistoryRoutes(rulesets, stores.auditEvents),
    shadowRoutes(new ShadowService({ store: stores.shadows, rulesets: stores.rulesets, audit, evaluation: shadows })),
    auditRoutes(stores.auditEvents),
    logVerificationRoutes(verifier, stores.seals),
    simulationRoutes(simulations),
    reportRoutes(reports),
    jobRoutes(scheduler, stores.jobs),
    listRoutes(lists),
    retagChangeRoutes(stores.jobs, stores.retagChanges),
    snoozeRoutes(
      new SnoozeService({
        store: stores.snoozes,
        profiles: stores.profiles,
        runtime,
        audit,
        leases: stores.snoozeLeases,
        logger,
        instanceId,
      }),
    ),
    reviewRoutes(reviews, new AlertDetails({ log: stores.decisionLog, explanations, profiles: stores.profiles, reviews })),
  ];
  return { keys, runtime, scheduler, simulationWorker, sealer, shadows, lists: listRegistry, healthRouter, databaseFreeRouters, routers };
}
