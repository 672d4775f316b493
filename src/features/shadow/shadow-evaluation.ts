import type { ComposedDecision, Thresholds } from '../../engine/decision-outcome.js';
import type { RulesetEvaluation, RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import type { FactContext } from '../../facts/fact-definition.js';
import type { Logger } from '../../logging/logger.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import type { ShadowSetting, ShadowStore } from './shadow-store.js';
import { ShadowTally, type StoredTally } from './shadow-tally.js';
import { compareWithShadow } from './shadow-comparison.js';
import type { ListLookup } from '../../engine/list-lookup.js';
import type { SnoozedRules } from '../../engine/snoozed-rules.js';

/** What a live decision hands over once it is logged: everything the shadow needs, nothing it must read. */
export interface ShadowObservation {
  decisionId: string;
  /** The decision's request, named in what the shadow logs about it. */
  requestId: string;
  context: FactContext;
  facts: Record<string, unknown>;
  /** The facts the decision computed (those its rulesets read). */
  factNames: ReadonlySet<string>;
  evaluations: readonly RulesetEvaluation[];
  composed: ComposedDecision;
  evaluatedAt: Date;
  /** The lists the decision read (the shadow reads the same view). */
  lists?: ListLookup;
  /** The rules snoozed for the profile (they hold for the shadow too). */
  snoozed?: SnoozedRules;
}

export interface ShadowOptions {
  instanceId: string;
  pollMs: number;
  flushMs: number;
  /** Shadow evaluations waiting at once; past it, decisions go unevaluated (counted) rather than queue up. */
  maxPending: number;
}

/** Event-loop turns a stop waits at most for the shadow evaluations still waiting (each takes microseconds). */
const STOP_TURNS = 1000;

interface LiveShadow {
  setting: ShadowSetting;
  evaluator: RulesetEvaluator;
  tally: ShadowTally;
}

/**
 * Champion–challenger on live traffic. Every instance polls the shadow settings (as it polls the heads),
 * compiles each shadow version once, and evaluates it beside every logged decision that evaluated the
 * ruleset's active version, on the same facts, after the decision is answered (it adds no latency and
 * reads nothing from the database). Counts are kept in memory per shadow period and flushed every
 * `flushMs` and on stop; what an instance counted since its last flush is lost if it dies.
 */
export class ShadowEvaluation {
  private live = new Map<string, LiveShadow>();
  /** Tallies by period, kept while their shadow is set; flushedRevision says what the store already has. */
  private readonly tallies = new Map<string, { rulesetId: string; tally: ShadowTally; flushedRevision: number }>();
  private pending = 0;
  private pollTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: { store: ShadowStore; runtime: RulesetRuntime; thresholds: Thresholds; logger: Logger },
    private readonly options: ShadowOptions,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.pollTimer = setInterval(() => {
      this.refresh().catch((error: Error) => this.deps.logger.warn('shadow refresh failed', { message: error.message }));
    }, this.options.pollMs);
    this.pollTimer.unref();
    this.flushTimer = setInterval(() => void this.flush(), this.options.flushMs);
    this.flushTimer.unref();
  }

  /** Stops polling, lets the evaluations waiting finish, and flushes what was counted (a graceful stop loses nothing). */
  async stop(): Promise<void> {
    clearInterval(this.pollTimer);
    clearInterval(this.flushTimer);
    this.pollTimer = this.flushTimer = undefined;
    for (let turns = 0; this.pending > 0 && turns < STOP_TURNS; turns++) await new Promise((resolve) => setImmediate(resolve));
    await this.flush();
  }

  /**
   * Re-reads the settings; a new period starts a new tally, a cleared or replaced one is dropped unflushed.
   * Refreshes run one after another: one that read the settings before a change must not undo a later one
   * (a tally dropped and started again would flush smaller counts over what this instance wrote).
   */
  refresh(): Promise<void> {
    const run = this.refreshing.then(() => this.doRefresh());
    this.refreshing = run.catch(() => undefined);
    return run;
  }

  private async doRefresh(): Promise<void> {
    const settings = await this.deps.store.list();
    const next = new Map<string, LiveShadow>();
    for (const setting of settings) {
      const current = this.live.get(setting.rulesetId);
      if (current && current.setting.period === setting.period) {
        next.set(setting.rulesetId, current);
        continue;
      }
      const evaluator = await this.deps.runtime.version(setting.rulesetId, setting.version);
      if (!evaluator) continue;
      const entry = this.tallies.get(setting.period) ?? { rulesetId: setting.rulesetId, tally: new ShadowTally(), flushedRevision: 0 };
      entry.tally.declareRules([
        ...(this.deps.runtime.activeVersionOf(setting.rulesetId)?.rules ?? []).map((rule) => rule.name),
        ...evaluator.rules.map((rule) => rule.name),
      ]);
      this.tallies.set(setting.period, entry);
      next.set(setting.rulesetId, { setting, evaluator, tally: entry.tally });
    }
    const periods = new Set(settings.map((setting) => setting.period));
    for (const period of this.tallies.keys()) if (!periods.has(period)) this.tallies.delete(period);
    this.live = next;
  }

  /** Called by a live decision once logged: returns at once; the shadow evaluates after the answer. */
  observe(observation: ShadowObservation): void {
    if (this.live.size === 0) return;
    const due = observation.evaluations.filter((evaluation) => this.live.has(evaluation.ruleset));
    if (due.length === 0) return;
    if (this.pending >= this.options.maxPending) {
      for (const evaluation of due) this.live.get(evaluation.ruleset)!.tally.skipped();
      return;
    }
    this.pending++;
    setImmediate(() => {
      this.evaluate(observation, due).finally(() => this.pending--);
    });
  }

  private async evaluate(observation: ShadowObservation, due: RulesetEvaluation[]): Promise<void> {
    for (const active of due) {
      const shadow = this.live.get(active.ruleset);
      // Pinned to another version, or the shadow is the version evaluated: nothing to compare.
      if (!shadow || active.version === shadow.setting.version) continue;
      if (this.deps.runtime.activeVersionOf(active.ruleset)?.identity.version !== active.version) continue;
      const failure = await compareWithShadow(observation, active, shadow.evaluator, shadow.tally, this.deps.thresholds);
      if (failure) {
        this.deps.logger.warn('shadow evaluation failed', {
          requestId: observation.requestId,
          ruleset: active.ruleset,
          version: shadow.setting.version,
          message: failure.message,
        });
      }
    }
  }

  /** Writes every tally that moved since its last flush; flushes run one at a time, so writes land in order. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    for (const [period, entry] of this.tallies) {
      const revision = entry.tally.revision;
      if (revision === entry.flushedRevision) continue;
      try {
        await this.deps.store.saveCounts({
          period,
          rulesetId: entry.rulesetId,
          instanceId: this.options.instanceId,
          flushedAt: new Date(),
          tally: entry.tally.snapshot(),
        });
        entry.flushedRevision = revision;
      } catch (error) {
        this.deps.logger.warn('shadow counts not flushed', { ruleset: entry.rulesetId, message: (error as Error).message });
      }
    }
  }

  /** This instance's counts of a period, fresher than what it flushed. */
  unflushed(period: string): StoredTally | undefined {
    return this.tallies.get(period)?.tally.snapshot();
  }

  get instanceId(): string {
    return this.options.instanceId;
  }
}
