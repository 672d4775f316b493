import type { ReportService } from '../../features/reports/report-service.js';
import { dateIn } from '../../features/reports/zoned-day.js';
import type { JobDefinition } from '../scheduler.js';
import { DAY_MS } from '../../time/durations.js';

/** Computes and keeps yesterday's report (in the jobs' time zone). */
export function dailyReportJob(reports: ReportService, timeZone: string, schedule: string): JobDefinition {
  return {
    name: 'daily-report',
    description: "Computes and stores yesterday's report: rule hits, alerts, tags and outcomes per ruleset version",
    schedule,
    async run(context) {
      const date = dateIn(new Date(context.startedAt.getTime() - DAY_MS), timeZone);
      const report = await reports.generate(date, context.startedAt);
      return { date, decisions: report.decisions, rulesetVersions: report.rulesets.length };
    },
  };
}
