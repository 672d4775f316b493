import type { FromSchema } from 'json-schema-to-ts';
import type { DecisionLogStore } from '../decisions/decision-log-store.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import { dayBounds } from './zoned-day.js';
import { keyedByClient } from '../../json/object-keys.js';
import { FiredRules } from './version-layouts.js';

const counterSchema = (of: string) =>
  ({ type: 'object', additionalProperties: { type: 'integer' }, description: `Decisions by ${of}` }) as const;

const rulesetVersionReportSchema = {
  type: 'object',
  properties: {
    ruleset: { type: 'string' },
    version: { type: 'integer' },
    decisions: { type: 'integer', description: 'Decisions that evaluated this version' },
    rules: {
      type: 'array',
      description: 'Every rule of the version, with how many decisions it fired in (0 included)',
      items: {
        type: 'object',
        properties: { rule: { type: 'string' }, hits: { type: 'integer' } },
        required: ['rule', 'hits'],
        additionalProperties: false,
      },
    },
    alerts: counterSchema('alert code it raised'),
    tags: counterSchema('tag it yielded'),
    outcomes: counterSchema('outcome'),
  },
  required: ['ruleset', 'version', 'decisions', 'rules', 'alerts', 'tags', 'outcomes'],
  additionalProperties: false,
} as const;

/** GET /v1/reports/daily: one day of the log, counted (also kept by the daily-report job). */
export const dailyReportSchema = {
  type: 'object',
  properties: {
    date: { type: 'string', format: 'date' },
    timezone: { type: 'string' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    generatedAt: { type: 'string', format: 'date-time' },
    decisions: { type: 'integer' },
    outcomes: counterSchema('outcome'),
    alerts: counterSchema('alert code'),
    tags: counterSchema('tag'),
    rulesets: { type: 'array', items: rulesetVersionReportSchema, description: 'Per ruleset version, in id and version order' },
  },
  required: ['date', 'timezone', 'from', 'to', 'generatedAt', 'decisions', 'outcomes', 'alerts', 'tags', 'rulesets'],
  additionalProperties: false,
} as const;

export type DailyReport = FromSchema<typeof dailyReportSchema>;
type RulesetVersionReport = FromSchema<typeof rulesetVersionReportSchema>;
type Counter = RulesetVersionReport['alerts'];

// Counted keys are names rule authors chose (a rule or tag may be called "constructor").
const counter = (): Counter => keyedByClient<number>();

const bump = (counts: Counter, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Counts one day of the decision log from each entry's core (which survives erasure): per ruleset
 * version, rule hits, alert codes, tags and outcomes; and the same totals over all decisions.
 * Streams the day's entries, so memory stays flat whatever the volume.
 */
export async function buildDailyReport(
  date: string,
  timeZone: string,
  log: DecisionLogStore,
  runtime: RulesetRuntime,
): Promise<DailyReport> {
  const { from, to } = dayBounds(date, timeZone);
  const totals = { decisions: 0, outcomes: counter(), alerts: counter(), tags: counter() };
  const perVersion = new Map<string, RulesetVersionReport & { hits: Counter }>();
  const fired = new FiredRules(runtime);
  for await (const { core } of log.stream({ from, to })) {
    totals.decisions += 1;
    bump(totals.outcomes, core.outcome);
    for (const alert of core.alerts) bump(totals.alerts, alert.code);
    for (const tag of core.tags) bump(totals.tags, tag);
    for (const [index, { id, version }] of core.rulesets.entries()) {
      const key = `${id}@${version}`;
      let report = perVersion.get(key);
      if (!report) {
        report = {
          ruleset: id,
          version,
          decisions: 0,
          rules: [],
          alerts: counter(),
          tags: counter(),
          outcomes: counter(),
          hits: counter(),
        };
        perVersion.set(key, report);
      }
      report.decisions += 1;
      bump(report.outcomes, core.outcome);
      for (const { rule, tag } of await fired.of(core, index)) {
        bump(report.hits, rule);
        if (tag !== undefined) bump(report.tags, tag);
      }
      for (const alert of core.alerts) if (alert.ruleset === id && alert.version === version) bump(report.alerts, alert.code);
    }
  }
  const rulesets: RulesetVersionReport[] = [];
  for (const { hits, ...report } of [...perVersion.values()].sort((a, b) => a.ruleset.localeCompare(b.ruleset) || a.version - b.version)) {
    const compiled = await runtime.version(report.ruleset, report.version);
    const names = compiled ? compiled.rules.map((rule) => rule.name) : Object.keys(hits);
    rulesets.push({ ...report, rules: names.map((rule) => ({ rule, hits: hits[rule] ?? 0 })) });
  }
  return {
    date,
    timezone: timeZone,
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: new Date().toISOString(),
    ...totals,
    rulesets,
  };
}

/** The report as CSV: one row per counted thing (`*` is all rulesets). */
export function dailyReportCsv(report: DailyReport): string {
  const rows: (string | number)[][] = [['date', 'ruleset', 'version', 'metric', 'key', 'count']];
  const add = (ruleset: string, version: number | string, metric: string, counter: Counter) => {
    for (const [key, count] of Object.entries(counter).sort()) rows.push([report.date, ruleset, version, metric, key, count]);
  };
  rows.push([report.date, '*', '*', 'decisions', '', report.decisions]);
  add('*', '*', 'outcome', report.outcomes);
  add('*', '*', 'alert', report.alerts);
  add('*', '*', 'tag', report.tags);
  for (const ruleset of report.rulesets) {
    rows.push([report.date, ruleset.ruleset, ruleset.version, 'decisions', '', ruleset.decisions]);
    for (const { rule, hits } of ruleset.rules) rows.push([report.date, ruleset.ruleset, ruleset.version, 'rule-hits', rule, hits]);
    add(ruleset.ruleset, ruleset.version, 'alert', ruleset.alerts);
    add(ruleset.ruleset, ruleset.version, 'tag', ruleset.tags);
    add(ruleset.ruleset, ruleset.version, 'outcome', ruleset.outcomes);
  }
  return `${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
