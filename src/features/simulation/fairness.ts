import { readPath } from '../../engine/fact-path.js';
import type { Outcome } from '../../engine/rule-schema.js';
import type { ProtectedFact } from '../../engine/protected-facts.js';

/** The four-fifths rule: a group approved at under 80 % of the best-approved group's rate is flagged. */
export const ADVERSE_IMPACT_THRESHOLD = 0.8;
/** Groups smaller than this are left out of the ratio: a rate over 3 applicants says nothing, and would describe them. */
export const MIN_GROUP_SIZE = 5;
/** Values beyond this many distinct groups of one attribute are counted together as `other`. */
const MAX_GROUPS = 20;

/**
 * Age bands (whole years): ten-year bands of working life, with 62 and over apart, the age from which
 * Regulation B lets a creditor favour (never disfavour) an applicant.
 */
const AGE_BANDS: readonly { label: string; below: number }[] = [
  { label: 'under 25', below: 25 },
  { label: '25-34', below: 35 },
  { label: '35-44', below: 45 },
  { label: '45-54', below: 55 },
  { label: '55-61', below: 62 },
  { label: '62+', below: Infinity },
];

export const ageBand = (age: number): string => AGE_BANDS.find((band) => age < band.below)!.label;

interface SideTally {
  approve: number;
  review: number;
  decline: number;
}

export interface FairnessSide extends SideTally {
  /** approve ÷ inputs of the group. */
  approvalRate: number;
}

export interface FairnessGroup {
  group: string;
  inputs: number;
  baseline: FairnessSide;
  candidate: FairnessSide;
}

export interface AttributeFairness {
  /** The protected fact as configured, e.g. `basic.gender` or `age` (grouped in bands). */
  attribute: string;
  /** Inputs that do not carry it: in no group, and not in the ratio. */
  notStated: number;
  groups: FairnessGroup[];
  /** Lowest group approval rate ÷ highest, over groups of at least MIN_GROUP_SIZE inputs; null with fewer than two such groups or no approval at all. */
  adverseImpactRatio: { baseline: number | null; candidate: number | null };
  /** The ratio is below ADVERSE_IMPACT_THRESHOLD. */
  flagged: { baseline: boolean; candidate: boolean };
}

export interface FairnessReport {
  threshold: number;
  minimumGroupSize: number;
  attributes: AttributeFairness[];
}

const emptySide = (): SideTally => ({ approve: 0, review: 0, decline: 0 });

/**
 * Counts outcomes by group of each protected attribute, under baseline and candidate, to compare
 * their approval rates (adverse impact ratio, four-fifths rule). Group names are values from customer
 * data: kept in Maps here and in arrays in the report (stored reports cannot have them as keys).
 */
export class FairnessTally {
  private readonly tallies = new Map<string, { notStated: number; groups: Map<string, { baseline: SideTally; candidate: SideTally }> }>();

  constructor(private readonly attributes: readonly ProtectedFact[]) {
    for (const attribute of attributes) this.tallies.set(attribute.name, { notStated: 0, groups: new Map() });
  }

  /** The facts an input must carry for its groups to be known. */
  factNames(): string[] {
    return [...new Set(this.attributes.map((attribute) => attribute.fact))];
  }

  add(facts: Record<string, unknown>, baseline: Outcome, candidate: Outcome): void {
    for (const attribute of this.attributes) {
      const tally = this.tallies.get(attribute.name)!;
      const group = groupOf(attribute, facts);
      if (group === undefined) {
        tally.notStated += 1;
        continue;
      }
      const name = tally.groups.has(group) || tally.groups.size < MAX_GROUPS ? group : 'other';
      const counts = tally.groups.get(name) ?? { baseline: emptySide(), candidate: emptySide() };
      tally.groups.set(name, counts);
      counts.baseline[baseline] += 1;
      counts.candidate[candidate] += 1;
    }
  }

  /** The report; attributes no input carries are left out (logged decisions hold only the facts their rules read). */
  finish(): { report: FairnessReport; missing: string[] } {
    const attributes: AttributeFairness[] = [];
    const missing: string[] = [];
    for (const [attribute, tally] of this.tallies) {
      if (tally.groups.size === 0) {
        missing.push(attribute);
        continue;
      }
      const groups = [...tally.groups]
        .map(([group, counts]) => {
          const inputs = counts.baseline.approve + counts.baseline.review + counts.baseline.decline;
          return { group, inputs, baseline: withRate(counts.baseline, inputs), candidate: withRate(counts.candidate, inputs) };
        })
        .sort((a, b) => groupOrder(a.group) - groupOrder(b.group) || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
      const baseline = impactRatio(groups, 'baseline');
      const candidate = impactRatio(groups, 'candidate');
      attributes.push({
        attribute,
        notStated: tally.notStated,
        groups,
        adverseImpactRatio: { baseline, candidate },
        flagged: {
          baseline: baseline !== null && baseline < ADVERSE_IMPACT_THRESHOLD,
          candidate: candidate !== null && candidate < ADVERSE_IMPACT_THRESHOLD,
        },
      });
    }
    return { report: { threshold: ADVERSE_IMPACT_THRESHOLD, minimumGroupSize: MIN_GROUP_SIZE, attributes }, missing };
  }
}

/** The input's group: an age band for `age`, else the value as text; undefined when absent or not a scalar. */
function groupOf(attribute: ProtectedFact, facts: Record<string, unknown>): string | undefined {
  const fact = facts[attribute.fact];
  const value = attribute.path.length === 0 ? fact : readPath(fact, `$.${attribute.path.join('.')}`);
  if (attribute.name === 'age') return typeof value === 'number' && Number.isFinite(value) ? ageBand(value) : undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim().toLowerCase();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Age bands in age order; other groups by name. */
const groupOrder = (group: string): number => {
  const index = AGE_BANDS.findIndex((band) => band.label === group);
  return index === -1 ? AGE_BANDS.length : index;
};

const withRate = (side: SideTally, inputs: number): FairnessSide => ({
  ...side,
  approvalRate: inputs === 0 ? 0 : round(side.approve / inputs),
});

function impactRatio(groups: FairnessGroup[], side: 'baseline' | 'candidate'): number | null {
  const rates = groups.filter((group) => group.inputs >= MIN_GROUP_SIZE).map((group) => group[side].approve / group.inputs);
  if (rates.length < 2) return null;
  const highest = Math.max(...rates);
  return highest === 0 ? null : round(Math.min(...rates) / highest);
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;
