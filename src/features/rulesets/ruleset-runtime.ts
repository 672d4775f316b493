import type { Logger } from '../../logging/logger.js';
import type { EvaluatorFactory, RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import type { RulesetStore } from './ruleset-store.js';
import { draftChecksum } from './ruleset-service.js';

/** Compiled versions kept in memory; versions are immutable, so a cached engine never goes stale. */
const MAX_CACHED_VERSIONS = 500;

/**
 * What this instance evaluates: the compiled active version of every ruleset, refreshed by polling
 * the small heads collection (change streams are not available on the embedded database), plus
 * pinned versions compiled on first use.
 */
export class RulesetRuntime {
  private active = new Map<string, RulesetEvaluator>();
  private readonly compiled = new Map<string, RulesetEvaluator>();
  private timer: NodeJS.Timeout | undefined;
  private loaded = false;
  private refreshing: Promise<void> | undefined;
  private rerun: Promise<void> | undefined;

  constructor(
    private readonly store: RulesetStore,
    private readonly logger: Logger,
    private readonly pollMs: number,
    private readonly createEvaluator: EvaluatorFactory,
  ) {}

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: Error) => this.logger.warn('ruleset refresh failed', { message: error.message }));
    }, this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * Re-reads the heads and compiles any newly active version. A call made while a refresh runs
   * gets a fresh run after it (that one may have read the heads before the change the caller made);
   * callers arriving meanwhile share that second run.
   */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.rerun ??= this.refreshing
        .catch(() => undefined)
        .then(() => {
          this.rerun = undefined;
          return this.refresh();
        });
      return this.rerun;
    }
    this.refreshing = this.doRefresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const heads = await this.store.listHeads();
    const next = new Map<string, RulesetEvaluator>();
    for (const head of heads) {
      if (head.activeVersion === null) continue;
      const current = this.active.get(head.rulesetId);
      const compiled =
        current && current.identity.version === head.activeVersion ? current : await this.version(head.rulesetId, head.activeVersion);
      if (compiled) next.set(head.rulesetId, compiled);
    }
    for (const [id, compiled] of next) {
      const before = this.active.get(id);
      if (before?.identity.version !== compiled.identity.version) {
        this.logger.info('ruleset version active', { ruleset: id, from: before?.identity.version ?? null, to: compiled.identity.version });
      }
    }
    this.active = next;
    this.loaded = true;
  }

  /** Every active ruleset, in id order. */
  activeRulesets(): RulesetEvaluator[] {
    return [...this.active.values()].sort((a, b) => a.identity.id.localeCompare(b.identity.id));
  }

  activeVersionOf(id: string): RulesetEvaluator | undefined {
    return this.active.get(id);
  }

  /**
   * A published version, compiled once and cached; undefined when it does not exist. Its identity carries
   * the checksum of what it holds, computed here: decisions log it, and logged explanations are rebuilt
   * only from a version with the checksum their entry names, so a version edited in the database shows.
   */
  async version(id: string, version: number): Promise<RulesetEvaluator | undefined> {
    const key = `${id}@${version}`;
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const record = await this.store.getVersion(id, version);
    if (!record) return undefined;
    const checksum = draftChecksum(record);
    if (checksum !== record.checksum) this.logger.error('ruleset version does not match its checksum', { ruleset: id, version });
    const identity = { id, version, kind: record.kind, checksum, ...(record.reasons && { reasons: record.reasons }) };
    const compiled = this.createEvaluator(identity, record.rules);
    if (this.compiled.size >= MAX_CACHED_VERSIONS) this.compiled.delete(this.compiled.keys().next().value!);
    this.compiled.set(key, compiled);
    return compiled;
  }
}
