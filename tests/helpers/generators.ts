import type { FactProfile } from '../../src/facts/fact-definition.js';
import type { DecisionEvent } from '../../src/facts/decision-event.js';
import type { ProfileDocument } from '../../src/features/profiles/profile-schema.js';
import type { Condition, LeafCondition, Rule } from '../../src/engine/rule-schema.js';
import { DAY_MS } from '../../src/time/durations.js';
import { ruleProblems } from '../../src/engine/rule-validator.js';
import { FACTS_BY_NAME } from '../../src/facts/fact-library.js';

/**
 * Seeded generators of valid inputs for property and differential tests: profiles, decision events,
 * decision-log history and rulesets that pass validateDraft. The same seed always gives the same
 * values, so a failure names the seed that reproduces it.
 */

/** A number in [0, 1). */
export type Rng = () => number;

/** mulberry32: a small, fast, well-mixed 32-bit PRNG. */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const chance = (rng: Rng, probability: number) => rng() < probability;
/** An integer in [min, max]. */
export const integer = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
export const decimal = (rng: Rng, min: number, max: number, digits = 2) => Number((min + rng() * (max - min)).toFixed(digits));
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
export function subset<T>(rng: Rng, items: readonly T[], probability = 0.3): T[] {
  return items.filter(() => chance(rng, probability));
}

/** The instant generated events cluster around (the fixtures' "today"). */
export const EVENT_BASE_MS = Date.parse('2026-11-21T00:00:00Z');

export const CITIES = [
  { city: 'Beijing', lat: 39.9, lon: 116.4 },
  { city: 'Shanghai', lat: 31.23, lon: 121.47 },
  { city: 'Guangzhou', lat: 23.13, lon: 113.26 },
  { city: 'Shenzhen', lat: 22.54, lon: 114.06 },
  { city: 'Chengdu', lat: 30.57, lon: 104.07 },
  { city: 'Hangzhou', lat: 30.27, lon: 120.16 },
  { city: 'Wuhan', lat: 30.59, lon: 114.31 },
  { city: "Xi'an", lat: 34.34, lon: 108.94 },
  { city: 'Chongqing', lat: 29.56, lon: 106.55 },
  { city: 'Harbin', lat: 45.8, lon: 126.53 },
  { city: 'Urumqi', lat: 43.83, lon: 87.62 },
  { city: 'Kunming', lat: 25.04, lon: 102.71 },
] as const;
const TIME_ZONES = ['Asia/Shanghai', 'Asia/Urumqi', 'Asia/Hong_Kong', 'Asia/Tokyo', 'Europe/London', 'America/New_York', 'UTC'];
export const DEVICES = ['d-7781', 'd-sz-01', 'd-ios-3321', 'd-and-551', 'd-and-0901', 'd-web-12', 'd-web-40', 'd-pad-9'];
const INTERESTS = ['travel', 'fitness', 'outdoor', 'gaming', 'cooking', 'investing', 'music', 'photography'];
const CATEGORIES = ['electronics', 'travel', 'fashion', 'groceries', 'books', 'beauty', 'home'];
const INDUSTRIES = ['retail', 'manufacturing', 'logistics', 'software', 'catering', 'agriculture'];
const ACTIVITY_KINDS = ['login', 'loan_application', 'repayment', 'browse'] as const;
const EVENT_TYPES = ['loan_application', 'login', 'repayment', 'browse', 'withdrawal', 'card_payment'];
const CHANNELS = ['app', 'web', 'branch', 'partner'];
const RISK_APPETITES = ['low', 'moderate', 'high', 'aggressive'];

const pad = (value: number, width = 2) => String(value).padStart(width, '0');
const dateOnly = (rng: Rng, fromYear: number, toYear: number) =>
  `${integer(rng, fromYear, toYear)}-${pad(integer(rng, 1, 12))}-${pad(integer(rng, 1, 28))}`;
/** An ISO time written in UTC or with an offset, as clients send them. */
function isoAt(rng: Rng, ms: number): string {
  const offsetHours = pick(rng, [0, 0, 8, 8, 8, -5, 9]);
  if (offsetHours === 0 && chance(rng, 0.5)) return new Date(ms).toISOString();
  const local = new Date(ms + offsetHours * 3600_000).toISOString().slice(0, 19);
  const sign = offsetHours < 0 ? '-' : '+';
  return `${local}${sign}${pad(Math.abs(offsetHours))}:00`;
}
const nearCity = (rng: Rng, city: { lat: number; lon: number }) => ({
  lat: decimal(rng, city.lat - 0.2, city.lat + 0.2, 4),
  lon: decimal(rng, city.lon - 0.2, city.lon + 0.2, 4),
});
/** A place; now and then without its city or coordinates. */
function place(rng: Rng) {
  const city = pick(rng, CITIES);
  const where: { city?: string; lat?: number; lon?: number } = {};
  if (chance(rng, 0.9)) where.city = city.city;
  if (chance(rng, 0.85)) Object.assign(where, nearCity(rng, city));
  return where;
}
/** `value` with each key dropped now and then, so that every field is sometimes missing. */
function sometimes<T extends Record<string, unknown>>(rng: Rng, value: T, keep = 0.85): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(() => chance(rng, keep))) as Partial<T>;
}

function activity(rng: Rng, home: { lat: number; lon: number }) {
  const entries: Record<string, unknown>[] = [];
  const count = chance(rng, 0.15) ? 0 : integer(rng, 1, 40);
  const travelling = chance(rng, 0.2) ? pick(rng, CITIES) : undefined;
  // A few customers are dormant: nothing in the last 90 days.
  const [fromDays, spanDays] = chance(rng, 0.06) ? [91, 300] : [0, 60];
  for (let index = 0; index < count; index += 1) {
    // Up to 60 days before the event base; some a little after it, some at late-night hours (UTC+8).
    let ms = EVENT_BASE_MS - (fromDays + rng() * spanDays) * DAY_MS + (chance(rng, 0.05) ? Math.floor(rng() * 2 * DAY_MS) : 0);
    ms = Math.floor(ms);
    if (chance(rng, 0.3)) ms = ms - (ms % DAY_MS) - 8 * 3600_000 + integer(rng, 0, 4 * 60) * 60_000;
    const where = travelling && chance(rng, 0.7) ? travelling : home;
    entries.push({
      at: isoAt(rng, ms),
      kind: pick(rng, ACTIVITY_KINDS),
      ...(chance(rng, 0.8) && nearCity(rng, where)),
      ...(chance(rng, 0.85) && { deviceId: pick(rng, DEVICES.slice(0, integer(rng, 1, DEVICES.length))) }),
      ...(chance(rng, 0.5) && { channel: pick(rng, CHANNELS) }),
    });
  }
  return entries;
}

/** A valid profile document (profileDocumentSchema); every section is sometimes missing. */
export function generateProfile(rng: Rng): ProfileDocument {
  const type = chance(rng, 0.7) ? 'individual' : 'sme';
  const home = pick(rng, CITIES);
  const profile: Record<string, unknown> = { type };
  if (chance(rng, 0.3)) profile.timezone = pick(rng, TIME_ZONES);
  if (chance(rng, 0.6)) profile.currency = pick(rng, ['CNY', 'CNY', 'HKD', 'USD']);
  if (chance(rng, 0.85)) {
    profile.basic = sometimes(rng, {
      birthDate: dateOnly(rng, 1950, 2008),
      gender: pick(rng, ['male', 'female']),
      education: pick(rng, ['high school', 'bachelor', 'master', 'phd']),
      occupation: pick(rng, ['engineer', 'teacher', 'sales manager', 'business owner', 'retired', 'driver']),
      residence: chance(rng, 0.9) ? { city: home.city, ...nearCity(rng, home) } : place(rng),
      work: place(rng),
    });
  }
  if (type === 'sme' ? chance(rng, 0.85) : chance(rng, 0.1)) {
    profile.company = sometimes(rng, {
      registeredAt: dateOnly(rng, 1995, 2026),
      registeredCity: pick(rng, CITIES).city,
      industry: pick(rng, INDUSTRIES),
      businessScope: 'Trading and services',
      employees: integer(rng, 0, 600),
      office: place(rng),
    });
  }
  if (chance(rng, 0.85)) {
    profile.financials = sometimes(rng, {
      monthlyIncome: chance(rng, 0.1) ? 0 : integer(rng, 1500, 120000),
      annualRevenue: integer(rng, 0, 20_000_000),
      totalAssets: integer(rng, 0, 8_000_000),
      totalLiabilities: integer(rng, 0, 4_000_000),
      monthlyCashFlow: integer(rng, -300_000, 500_000),
      deposits: integer(rng, 0, 3_000_000),
      ownsProperty: chance(rng, 0.5),
    });
  }
  if (chance(rng, 0.8)) {
    profile.credit = sometimes(rng, {
      score: integer(rng, 350, 900),
      openLoans: integer(rng, 0, 8),
      maxOverdueDays: chance(rng, 0.6) ? 0 : integer(rng, 1, 200),
      delinquencies12m: chance(rng, 0.7) ? 0 : integer(rng, 1, 5),
      creditLimit: chance(rng, 0.1) ? 0 : integer(rng, 5000, 500_000),
      utilization: decimal(rng, 0, 1.2),
    });
  }
  if (chance(rng, 0.6)) {
    profile.ecommerce = sometimes(rng, {
      monthlySpend: chance(rng, 0.1) ? 0 : integer(rng, 50, 40000),
      ordersPerMonth: integer(rng, 0, 30),
      categories: subset(rng, CATEGORIES),
    });
  }
  if (chance(rng, 0.6)) profile.interests = subset(rng, INTERESTS);
  if (chance(rng, 0.6))
    profile.sentiment = sometimes(rng, { negativeMentions30d: integer(rng, 0, 15), positiveMentions30d: integer(rng, 0, 15) });
  if (chance(rng, 0.85)) profile.activity = activity(rng, home);
  if (chance(rng, 0.7)) {
    profile.attributes = sometimes(
      rng,
      {
        customerSince: isoAt(rng, EVENT_BASE_MS - Math.floor(rng() * 8 * 365 * DAY_MS)),
        riskAppetite: pick(rng, RISK_APPETITES),
        channel: pick(rng, CHANNELS),
        vip: chance(rng, 0.2),
        // Some feeds send numbers as strings: numeric comparisons never read them as numbers (lender-rules/1).
        segment: chance(rng, 0.3) ? String(integer(rng, 1, 5)) : integer(rng, 1, 5),
      },
      0.6,
    );
  }
  return profile as ProfileDocument;
}

/** A valid decision event (decisionEventSchema) with `at` set, within a day and a half of 2026-11-21. */
export function generateEvent(rng: Rng): DecisionEvent {
  const event: DecisionEvent = {
    type: pick(rng, EVENT_TYPES),
    at: isoAt(rng, EVENT_BASE_MS + Math.floor((rng() - 0.5) * 3 * DAY_MS)),
  };
  if (chance(rng, 0.7)) event.amount = chance(rng, 0.05) ? 0 : integer(rng, 100, 3_000_000);
  if (chance(rng, 0.75)) event.location = nearCity(rng, pick(rng, CITIES));
  if (chance(rng, 0.8)) event.deviceId = chance(rng, 0.7) ? pick(rng, DEVICES) : `d-new-${integer(rng, 1, 999)}`;
  if (chance(rng, 0.5)) event.channel = pick(rng, CHANNELS);
  if (chance(rng, 0.3)) event.merchantCategory = pick(rng, ['travel', 'electronics', 'gambling']);
  if (chance(rng, 0.2)) event.firstTime = chance(rng, 0.5);
  if (chance(rng, 0.3)) event.partnerScore = chance(rng, 0.5) ? String(integer(rng, 300, 900)) : integer(rng, 300, 900);
  return event;
}

/** What the decision log would tell; sometimes unknown. */
export function generateHistory(rng: Rng): { applicationsLast24h?: number } {
  return chance(rng, 0.5) ? { applicationsLast24h: integer(rng, 0, 6) } : {};
}

/** A profile as the decision path reads it: a stored profile also carries its creation time, which customerYears reads. */
export function generateStoredProfile(rng: Rng): FactProfile {
  const profile: FactProfile = generateProfile(rng);
  if (chance(rng, 0.3)) profile.createdAt = new Date(EVENT_BASE_MS - integer(rng, 0, 3 * 365) * DAY_MS).toISOString();
  return profile;
}

/** What one decision starts from: the stored profile, the event and what the log tells of the history. */
export interface DecisionInput {
  profile: FactProfile;
  event: DecisionEvent;
  history: { applicationsLast24h?: number };
}

export function generateDecisionInput(rng: Rng): DecisionInput {
  return { profile: generateStoredProfile(rng), event: generateEvent(rng), history: generateHistory(rng) };
}

// ---- rulesets ----

type Kind = 'number' | 'string' | 'boolean' | 'instant' | 'array' | 'object';
interface Target {
  fact: string;
  path?: string;
  kind: Kind;
  /** Typical values to compare with: numbers as [min, max], else a list. */
  numbers?: [number, number];
  strings?: readonly string[];
}

const num = (fact: string, min: number, max: number, path?: string): Target => ({
  fact,
  kind: 'number',
  numbers: [min, max],
  ...(path && { path }),
});
const str = (fact: string, strings: readonly string[], path?: string): Target => ({ fact, kind: 'string', strings, ...(path && { path }) });
const instant = (fact: string, path?: string): Target => ({ fact, kind: 'instant', ...(path && { path }) });

/** What rules may read, by the type of what they find there (paths include fields that never exist). */
const TARGETS: readonly Target[] = [
  str('type', ['individual', 'sme', 'SME']),
  str('timezone', ['Asia/Shanghai', 'UTC', 'Asia/Urumqi']),
  str('currency', ['CNY', 'USD']),
  str('ecommerceSpendBand', ['none', 'low', 'medium', 'high', 'very-high']),
  num('age', 16, 75),
  num('businessYears', 0, 25),
  num('customerYears', 0, 3),
  num('eventLocalHour', 0, 23),
  num('eventLocalDayOfWeek', 0, 6),
  num('debtToIncome', 0, 1.5),
  num('netWorth', -2_000_000, 6_000_000),
  num('eventAmountToMonthlyIncome', 0, 60),
  num('activityCount30d', 0, 30),
  num('loanApplications30d', 0, 6),
  num('distinctDevices30d', 0, 8),
  num('lateNightActivityShare30d', 0, 1),
  num('daysSinceLastActivity', 0, 60),
  num('eventDeviceFirstSeenDays', 0, 60),
  num('applicationsLast24h', 0, 6),
  num('eventDistanceFromResidenceKm', 0, 3000),
  num('eventDistanceFromWorkKm', 0, 3000),
  num('trajectoryDistanceFromResidenceKm', 0, 3000),
  { fact: 'eventDeviceKnown', kind: 'boolean' },
  str('basic', ['male', 'female'], '$.gender'),
  str(
    'basic',
    CITIES.map((city) => city.city),
    '$.residence.city',
  ),
  num('basic', 20, 45, '$.residence.lat'),
  num('basic', 80, 130, '$.work.lon'),
  str('basic', ['1990-01-01'], '$.birthDate'),
  str('basic', ['x'], '$.nickname'),
  { fact: 'basic', path: '$.residence', kind: 'object' },
  num('company', 0, 600, '$.employees'),
  str('company', INDUSTRIES, '$.industry'),
  str(
    'company',
    CITIES.map((city) => city.city),
    '$.office.city',
  ),
  num('company', 0, 10, '$.office.floor'),
  num('financials', 0, 120000, '$.monthlyIncome'),
  num('financials', 0, 3_000_000, '$.deposits'),
  num('financials', -300_000, 500_000, '$.monthlyCashFlow'),
  num('financials', 0, 4_000_000, '$.totalLiabilities'),
  { fact: 'financials', path: '$.ownsProperty', kind: 'boolean' },
  num('financials', 0, 9, '$.bonus'),
  num('credit', 350, 900, '$.score'),
  num('credit', 0, 200, '$.maxOverdueDays'),
  num('credit', 0, 5, '$.delinquencies12m'),
  num('credit', 0, 1.2, '$.utilization'),
  num('credit', 0, 500_000, '$.creditLimit'),
  num('credit', 0, 9, '$.limits[0].amount'),
  num('ecommerce', 0, 40000, '$.monthlySpend'),
  num('ecommerce', 0, 30, '$.ordersPerMonth'),
  { fact: 'ecommerce', path: '$.categories', kind: 'array', strings: CATEGORIES },
  str('ecommerce', CATEGORIES, '$.categories[0]'),
  { fact: 'interests', kind: 'array', strings: INTERESTS },
  str('interests', INTERESTS, '$[0]'),
  str('interests', INTERESTS, '$[2]'),
  num('sentiment', 0, 15, '$.negativeMentions30d'),
  num('sentiment', 0, 15, '$.positiveMentions30d'),
  { fact: 'activity', kind: 'array' },
  instant('activity', '$[0].at'),
  str('activity', ACTIVITY_KINDS, '$[1].kind'),
  str('activity', DEVICES, '$[0].deviceId'),
  str('activity', ['x'], '$[0].missing.deeper'),
  instant('attributes', '$.customerSince'),
  str('attributes', RISK_APPETITES, '$.riskAppetite'),
  { fact: 'attributes', path: '$.vip', kind: 'boolean' },
  num('attributes', 1, 5, '$.segment'),
  str('attributes', ['RM-1'], '$.relationshipManager'),
  str('event', EVENT_TYPES, '$.type'),
  num('event', 0, 3_000_000, '$.amount'),
  instant('event', '$.at'),
  str('event', [...DEVICES, 'd-new-1'], '$.deviceId'),
  str('event', CHANNELS, '$.channel'),
  num('event', 20, 46, '$.location.lat'),
  { fact: 'event', path: '$.location', kind: 'object' },
  str('event', ['travel', 'gambling'], '$.merchantCategory'),
  { fact: 'event', path: '$.firstTime', kind: 'boolean' },
  num('event', 300, 900, '$.partnerScore'),
];

const OPERATORS_BY_KIND: Record<Kind, readonly string[]> = {
  number: [
    'equal',
    'notEqual',
    'lessThan',
    'lessThanInclusive',
    'greaterThan',
    'greaterThanInclusive',
    'between',
    'in',
    'notIn',
    'inList',
    'notInList',
  ],
  string: ['equal', 'notEqual', 'in', 'notIn', 'matches', 'inList', 'notInList'],
  boolean: ['equal', 'notEqual', 'in'],
  instant: ['before', 'after', 'withinLastDays', 'matches', 'equal'],
  array: ['contains', 'doesNotContain', 'equal'],
  object: ['equal', 'notEqual', 'contains'],
};

/**
 * The fixed lists generated rules name (and the shipped blocked-devices): both evaluators are handed the
 * same, and the ids include one no list has.
 */
export const GENERATED_LISTS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['blocked-devices', new Set(DEVICES.slice(0, 3))],
  ['cities', new Set(CITIES.slice(0, 2).map((city) => city.city))],
  ['small-numbers', new Set(['0', '1', '2', '3', '5', '8', '13'])],
]);
const LIST_IDS = [...GENERATED_LISTS.keys(), 'no-such-list'];
const ALL_OPERATORS = [
  'equal',
  'notEqual',
  'in',
  'notIn',
  'contains',
  'doesNotContain',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'between',
  'matches',
  'before',
  'after',
  'withinLastDays',
  'inList',
  'notInList',
];
/** Valid RE2 patterns within the size limit. */
const PATTERNS = ['^d-', 'an', '^(sme|individual)$', '^[A-Z]{3}$', 'Shen', '^2026-1[01]', '\\d{3}', 'travel|fitness', '^[a-z]+$', 'new'];
const INSTANTS = [
  '2026-11-01T00:00:00+08:00',
  '2026-11-20T12:00:00Z',
  '2026-10-01T00:00:00Z',
  '2020-01-01T00:00:00+08:00',
  '2026-11-21T00:00:00Z',
];

function scalarFor(rng: Rng, target: Target): string | number | boolean | null {
  if (chance(rng, 0.05)) return null;
  if (target.numbers) {
    const [min, max] = target.numbers;
    return Number.isInteger(min) && Number.isInteger(max) && max - min > 2 ? integer(rng, min, max) : decimal(rng, min, max);
  }
  if (target.strings) return pick(rng, target.strings);
  if (target.kind === 'boolean') return chance(rng, 0.5);
  if (target.kind === 'instant') return pick(rng, INSTANTS);
  return pick(rng, ['x', 1, true]);
}

/** A value `operator` accepts (checkValue), drawn near the target's values; sometimes of another type. */
function valueFor(rng: Rng, operator: string, target: Target): unknown {
  const wrongType = chance(rng, 0.1);
  const scalar = () => (wrongType ? pick(rng, ['700', 'sme', 3, false, null]) : scalarFor(rng, target));
  const number = () => {
    const value = scalarFor(rng, target);
    return typeof value === 'number' ? value : decimal(rng, -10, 1000);
  };
  switch (operator) {
    case 'lessThan':
    case 'lessThanInclusive':
    case 'greaterThan':
    case 'greaterThanInclusive':
      return number();
    case 'between': {
      const [a, b] = [number(), number()];
      return [Math.min(a, b), Math.max(a, b)];
    }
    case 'in':
    case 'notIn':
      return Array.from({ length: integer(rng, 0, 4) }, scalar);
    case 'contains':
    case 'doesNotContain':
      return target.strings && !wrongType ? pick(rng, target.strings) : scalar();
    case 'matches':
      return pick(rng, PATTERNS);
    case 'before':
    case 'after':
      return pick(rng, INSTANTS);
    case 'withinLastDays':
      return pick(rng, [1, 7, 30, 90, 365, 3650, 0.5]);
    case 'inList':
    case 'notInList':
      return pick(rng, LIST_IDS);
    default:
      return scalar();
  }
}

/** A leaf that passes validation: drawn again until the validator accepts it (e.g. an operator that fits its fact's type). */
function generateLeaf(rng: Rng): LeafCondition {
  for (;;) {
    const leaf = drawLeaf(rng);
    const rule: Rule = { name: 'leaf', conditions: { all: [leaf] }, event: { type: 'tag', params: { tag: 'leaf' } } };
    if (ruleProblems([rule], FACTS_BY_NAME).length === 0) return leaf;
  }
}

function drawLeaf(rng: Rng): LeafCondition {
  const target = pick(rng, TARGETS);
  const operator = chance(rng, 0.8) ? pick(rng, OPERATORS_BY_KIND[target.kind]) : pick(rng, ALL_OPERATORS);
  const leaf: LeafCondition = { fact: target.fact, operator, value: valueFor(rng, operator, target) };
  if (target.path !== undefined) leaf.path = target.path;
  if (chance(rng, 0.1)) leaf.priority = integer(rng, 1, 4);
  return leaf;
}

/** A condition at `depth` (the rule's top group is depth 1); groups nest down to depth 4. */
function generateCondition(rng: Rng, depth: number): Condition {
  if (depth >= 4 || chance(rng, depth === 1 ? 0 : 0.55)) return generateLeaf(rng);
  const roll = rng();
  let group: Condition;
  if (roll < 0.15) group = { not: generateCondition(rng, depth + 1) };
  else {
    const children = Array.from({ length: integer(rng, 1, depth === 1 ? 4 : 3) }, () => generateCondition(rng, depth + 1));
    group = roll < 0.6 ? { all: children } : { any: children };
  }
  // Group priorities are not checked by validation: any JSON goes, and the engine parseInt()s it.
  if (depth > 1 && chance(rng, 0.12)) Object.assign(group, { priority: pick(rng, [1, 2, 3, 5]) });
  return group;
}

const PLACEHOLDERS = [
  '{{credit.score}}',
  '{{age}}',
  '{{eventDistanceFromResidenceKm}}',
  '{{basic.residence.city}}',
  '{{interests.0}}',
  '{{event.amount}}',
  '{{financials.monthlyIncome}}',
  '{{lateNightActivityShare30d}}',
  '{{credit.nothing}}',
  '{{ecommerce.categories}}',
  '{{eventDeviceKnown}}',
  '{{ debtToIncome }}',
  '{{attributes.customerSince}}',
  '{{activity.0.kind}}',
];

function message(rng: Rng): { message?: string } {
  if (chance(rng, 0.3)) return {};
  if (chance(rng, 0.15)) return { message: 'a message without placeholders' };
  const parts = Array.from(
    { length: integer(rng, 1, 3) },
    () => `${pick(rng, PLACEHOLDERS)} ${pick(rng, ['km', 'points', 'of', '—', ''])}`,
  );
  return { message: parts.join(', ').trim() };
}

function generateEventOfRule(rng: Rng, index: number): Rule['event'] {
  switch (pick(rng, ['tag', 'product', 'alert', 'score'] as const)) {
    case 'tag':
      return { type: 'tag', params: { tag: `tag-${index % 7}`, ...message(rng) } };
    case 'product':
      return { type: 'product', params: { product: `product-${index % 5}`, rank: integer(rng, 1, 5), ...message(rng) } };
    case 'alert':
      return {
        type: 'alert',
        params: {
          code: pick(rng, ['LOCATION_MISMATCH', 'VELOCITY', 'NEW_DEVICE']),
          severity: pick(rng, ['low', 'medium', 'high']),
          ...message(rng),
        },
      };
    case 'score':
      return { type: 'score', params: { points: integer(rng, -20, 60), ...message(rng) } };
  }
}

/** `size` rules that pass validateDraft, with every operator, nesting, priorities and messages. */
export function generateRuleset(rng: Rng, size: number): Rule[] {
  return Array.from({ length: size }, (_, index): Rule => {
    const rule: Rule = {
      name: `rule-${index}`,
      conditions: generateCondition(rng, 1) as Rule['conditions'],
      event: generateEventOfRule(rng, index),
    };
    if (chance(rng, 0.3)) rule.priority = pick(rng, [1, 2, 5, 10]);
    return rule;
  });
}
