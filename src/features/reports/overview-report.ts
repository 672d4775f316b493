import type { FromSchema } from 'json-schema-to-ts';
import { OUTCOMES } from '../../engine/rule-schema.js';
import type { DecisionCore } from '../decisions/decision-record.js';
import { FiredRules, type LayoutSource } from './version-layouts.js';

const HOUR_MS = 3_600_000;
export const OVERVIEW_DAYS = [1, 7] as const;
export const TOP_RULES_DEFAULT = 10;

const outcomeCounts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, { type: 'integer' }])) as {
  [K in (typeof OUTCOMES)[number]]: { type: 'integer' };
};

/**
 * Counts for the console's overview, from the log's cores only (which hold no customer data and
 * survive erasure): decisions per hour by outcome, alerts by code, and the rules that fire most.
 */
export const overviewSchema = {
  type: 'object',
  properties: {
    date: { type: 'string', format: 'date', description: 'The last day of the period' },
    days: { type: 'integer', enum: OVERVIEW_DAYS },
    timezone: { type: 'string' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    decisions: { type: 'integer' },
    outcomes: { type: 'object', properties: outcomeCounts, required: OUTCOMES, additionalProperties: false },
    hourly: {
      type: 'array',
      description: 'Every hour of the period (hours without decisions included), oldest first',
      items: {
        type: 'object',
        properties: { hour: { type: 'string', format: 'date-time' }, ...outcomeCounts },
        required: ['hour', ...OUTCOMES],
        additionalProperties: false,
      },
    },
    alerts: {
      type: 'array',
      description: 'How many alerts of each code were raised, most first',
      items: {
        type: 'object',
        properties: { code: { type: 'string' }, count: { type: 'integer' } },
        required: ['code', 'count'],
        additionalProperties: false,
      },
    },
    rules: {
      type: 'array',
      description: 'The rules that fired in most decisions, most first',
      items: {
        type: 'object',
        properties: { ruleset: { type: 'string' }, rule: { type: 'string' }, hits: { type: 'integer' } },
        required: ['ruleset', 'rule', 'hits'],
        additionalProperties: false,
      },
    },
  },
  required: ['date', 'days', 'timezone', 'from', 'to', 'decisions', 'outcomes', 'hourly', 'alerts', 'rules'],
  additionalProperties: false,
} as const;

export type Overview = FromSchema<typeof overviewSchema>;
type OutcomeCounts = Overview['outcomes'];

const zeroOutcomes = (): OutcomeCounts => ({ approve: 0, review: 0, decline: 0 });

/** The period the overview covers: `days` calendar days ending with `date`, already resolved to instants. */
export interface OverviewPeriod {
  date: string;
  days: (typeof OVERVIEW_DAYS)[number];
  timezone: string;
  from: Date;
  to: Date;
}

/** Counts the cores of the period's entries (in any order), one pass, memory bounded by the hours, codes and rules. */
export async function buildOverview(
  period: OverviewPeriod,
  cores: AsyncIterable<DecisionCore>,
  versions: LayoutSource,
  topRules = TOP_RULES_DEFAULT,
): Promise<Overview> {
  const start = period.from.getTime();
  const hourly = Array.from({ length: Math.ceil((period.to.getTime() - start) / HOUR_MS) }, (_, index) => ({
    hour: new Date(start + index * HOUR_MS).toISOString(),
    ...zeroOutcomes(),
  }));
  const outcomes = zeroOutcomes();
  const alerts = new Map<string, number>();
  const rules = new Map<string, { ruleset: string; rule: string; hits: number }>();
  let decisions = 0;
  const fired = new FiredRules(versions);
  for await (const core of cores) {
    const bucket = hourly[Math.floor((Date.parse(core.createdAt) - start) / HOUR_MS)];
    if (!bucket) continue;
    decisions += 1;
    bucket[core.outcome] += 1;
    outcomes[core.outcome] += 1;
    // Every alert counts, as in the daily report, so the two agree.
    for (const { code } of core.alerts) alerts.set(code, (alerts.get(code) ?? 0) + 1);
    for (const [index, { id }] of core.rulesets.entries()) {
      for (const { rule } of await fired.of(core, index)) {
        const key = `${id}\u0000${rule}`;
        const counted = rules.get(key) ?? { ruleset: id, rule, hits: 0 };
        counted.hits += 1;
        rules.set(key, counted);
      }
    }
  }
  return {
    date: period.date,
    days: period.days,
    timezone: period.timezone,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    decisions,
    outcomes,
    hourly,
    alerts: [...alerts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    rules: [...rules.values()]
      .sort((a, b) => b.hits - a.hits || a.ruleset.localeCompare(b.ruleset) || a.rule.localeCompare(b.rule))
      .slice(0, topRules),
  };
}
