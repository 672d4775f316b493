import type { DecisionLogStore } from '../decisions/decision-log-store.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import { buildDailyReport, type DailyReport } from './daily-report.js';
import type { ReportStore } from './report-store.js';
import { buildOverview, type Overview, type OverviewPeriod } from './overview-report.js';
import { dateIn, dayBounds, shiftDate } from './zoned-day.js';

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

  /** The console's overview of `days` calendar days ending with `date` (default: today), in the jobs' time zone. */
  async overview(days: OverviewPeriod['days'], date = dateIn(new Date(), this.timeZone), topRules?: number): Promise<Overview> {
    const from = dayBounds(shiftDate(date, 1 - days), this.timeZone).from;
    const to = dayBounds(date, this.timeZone).to;
    return buildOverview({ date, days, timezone: this.timeZone, from, to }, this.log.streamCores({ from, to }), this.runtime, topRules);
  }

  /** Computes a day's report, and keeps it when the day is over (it can no longer change). */
  async generate(date: string, now = new Date()): Promise<DailyReport> {
    const report = await buildDailyReport(date, this.timeZone, this.log, this.runtime);
    if (dayBounds(date, this.timeZone).to <= now) await this.store.save(report);
    return report;
  }
}
