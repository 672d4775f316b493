/**
 * What a backtest (POST /v1/rulesets/{id}/simulate) answers, read leniently: the service declares no
 * response schema for it, and what a caller sees depends on its roles (examples and ids only for
 * audit:read or admin; small counts may be withheld from editors). A count is a number when shown;
 * anything else (null, or the service's own text) means it was withheld, and is said so.
 */
import type { BacktestFairness } from '../../api/types.js';

export type Count = number | string | null | undefined;

export interface SideResult {
  tags?: string[];
  products?: string[];
  alerts?: string[];
  outcome?: string;
  score?: number;
}

export interface BacktestExample {
  input?: { profileId?: string | null; decisionId?: string };
  before?: SideResult;
  after?: SideResult;
}

export interface BacktestReport {
  simulationId?: string;
  status?: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress?: { done: number; total: number };
  /** While queued: unfinished runs queued before it. */
  ahead?: number;
  error?: string | null;
  candidate?: { version: number | 'draft'; checksum?: string };
  baseline?: { version: number; checksum?: string };
  against?: 'profiles' | 'decisions';
  inputs?: Count;
  changed?: Partial<Record<'any' | 'outcome' | 'tags' | 'products' | 'alerts', Count>>;
  outcomes?: { baseline?: Record<string, Count>; candidate?: Record<string, Count> };
  rules?: { rule: string; baseline: Count; candidate: Count }[];
  deltas?: Partial<Record<'tags' | 'alerts' | 'products', Record<string, Count>>>;
  examples?: BacktestExample[];
  notes?: string[];
  /** Against logged decisions: per alert rule, the reviewed decisions it hits with each analyst label. */
  labels?: { reviewed: Count; rules: { rule: string; code: string; baseline: Record<string, Count>; candidate: Record<string, Count> }[] };
  /** Outcome rates by group of each protected attribute (absent on reports stored before the fairness check). */
  fairness?: BacktestFairness;
}

export const OUTCOME_ORDER = ['approve', 'review', 'decline'] as const;
export const YIELD_KINDS = ['alerts', 'tags', 'products'] as const;
export type YieldKind = (typeof YIELD_KINDS)[number];

export const isShown = (count: Count): count is number => typeof count === 'number';

/** A count as a person reads it; a withheld one says so. */
export function formatCount(count: Count): string {
  if (isShown(count)) return count.toLocaleString('en');
  if (typeof count === 'string' && count !== '') return `${count} (withheld)`;
  return 'withheld (fewer than 5)';
}

/** "+3", "−2", "0"; withheld when either side is. */
export function formatChange(before: Count, after: Count): string {
  if (!isShown(before) || !isShown(after)) return 'withheld';
  const change = after - before;
  return change > 0 ? `+${change.toLocaleString('en')}` : change < 0 ? `−${(-change).toLocaleString('en')}` : '0';
}

/** The value a chart draws for a count (a withheld count draws nothing; the table beside says why). */
export const chartValue = (count: Count): number | null => (isShown(count) ? count : null);

export interface YieldChange {
  kind: YieldKind;
  name: string;
  /** Inputs yielding it under the candidate minus under the baseline (net). */
  delta: Count;
}

/** Tags, products and alerts the candidate yields more often (gained) or less often (lost) than the baseline. */
export function gainedAndLost(deltas: BacktestReport['deltas']): { gained: YieldChange[]; lost: YieldChange[]; withheld: YieldChange[] } {
  const gained: YieldChange[] = [];
  const lost: YieldChange[] = [];
  const withheld: YieldChange[] = [];
  for (const kind of YIELD_KINDS) {
    for (const [name, delta] of Object.entries(deltas?.[kind] ?? {})) {
      const change = { kind, name, delta };
      if (!isShown(delta)) withheld.push(change);
      else if (delta > 0) gained.push(change);
      else if (delta < 0) lost.push(change);
    }
  }
  const byMagnitude = (a: YieldChange, b: YieldChange) =>
    Math.abs(b.delta as number) - Math.abs(a.delta as number) || a.name.localeCompare(b.name);
  return { gained: gained.sort(byMagnitude), lost: lost.sort(byMagnitude), withheld };
}

/** What one example input gains and loses, each name labelled with its kind ("alert LATE_NIGHT_APPLICATION"). */
export function exampleChanges(example: BacktestExample): { gained: string[]; lost: string[] } {
  const gained: string[] = [];
  const lost: string[] = [];
  for (const kind of YIELD_KINDS) {
    const before = example.before?.[kind] ?? [];
    const after = example.after?.[kind] ?? [];
    const label = kind.slice(0, -1);
    for (const name of after) if (!before.includes(name)) gained.push(`${label} ${name}`);
    for (const name of before) if (!after.includes(name)) lost.push(`${label} ${name}`);
  }
  return { gained, lost };
}

/** "the draft", "version 3", "the active version (2)" */
export function sideName(side: BacktestReport['candidate'] | BacktestReport['baseline'] | undefined): string {
  if (!side) return 'unknown';
  return side.version === 'draft' ? 'the draft' : `version ${side.version}`;
}
