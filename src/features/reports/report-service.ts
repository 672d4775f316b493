import type { DecisionLogStore } from '../decisions/decision-log-store.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import { buildDailyReport, type DailyReport } from './daily-report.js';
import type { ReportStore } from './report-store.js';
import { dayBounds } from './zoned-day.js';

/** Daily reports: a finished day's report is computed once and kept; today's is computed live. */
export class ReportService {
  constructor(
    private readonly store: ReportStore,
    private readonly log: DecisionLogStore,
    private readonly runtime: RulesetRuntime,
    private readonly timeZone: string,
  ) {}

  async daily(date: string, now = new Date()): Promise<DailyReport> {
    const stored = await this.store.get(date);
    if (stored) return stored;
    return this.generate(date, now);
  }

  /** Computes a day's report, and keeps it when the day is over (it can no longer change). */
  async generate(date: string, now = new Date()): Promise<DailyReport> {
    const report = await buildDailyReport(date, this.timeZone, this.log, this.runtime);
    if (dayBounds(date, this.timeZone).to <= now) await this.store.save(report);
    return report;
  }
}
