import { hasAnyRole, type Caller } from '../../auth/roles.js';
import type { SimulationResult } from './simulator.js';
import type { FairnessReport, FairnessSide } from './fairness.js';

/**
 * Counts below this are withheld from callers who may not read customer data. A draft rule can
 * describe one customer (`basic.$.birthDate matches ^1963-01` and a city); a count of 1 under it
 * would say that such a customer exists, and examples would say who.
 */
export const MIN_DISCLOSED_COUNT = 5;

/** The examples name profiles and logged decisions: customer data, for those who may read the log. */
export const mayReadCustomerData = (caller: Caller): boolean => hasAnyRole(caller, ['audit:read']);

/** A report as it is computed and stored: counts, examples and notes (plus header fields passed through). */
export type FullReport = Pick<SimulationResult, 'changed' | 'rules' | 'deltas' | 'examples' | 'outcomes' | 'labels' | 'fairness'> & {
  notes: string[];
};

type Count = number | null;

export interface Disclosure {
  /** `full`: everything; `aggregate`: no examples, small counts withheld. */
  level: 'full' | 'aggregate';
  /** With `aggregate`: counts below this are null and deltas of a smaller size are left out. */
  minimumCount?: number;
}

const withheld = (count: number): Count => (count < MIN_DISCLOSED_COUNT ? null : count);

function largeDeltas(deltas: Record<string, number>): Record<string, number> {
  const kept: Record<string, number> = Object.create(null);
  for (const [name, delta] of Object.entries(deltas)) if (Math.abs(delta) >= MIN_DISCLOSED_COUNT) kept[name] = delta;
  return kept;
}

/**
 * What a report shows this caller. Applied when a report is answered, never when it is stored, so
 * a stored background result shows each reader only what that reader may see.
 */
export function discloseReport<T extends FullReport>(report: T, caller: Caller) {
  if (mayReadCustomerData(caller)) return { ...report, disclosure: { level: 'full' } satisfies Disclosure };
  const { examples: _examples, changed, rules, deltas, outcomes, notes, labels, fairness, ...rest } = report;
  const labelCounts = (side: Record<string, number>) =>
    Object.fromEntries(Object.entries(side).map(([label, count]) => [label, withheld(count)]));
  const outcomeCounts = (side: Record<string, number>) =>
    Object.fromEntries(Object.entries(side).map(([outcome, count]) => [outcome, withheld(count)]));
  return {
    ...rest,
    changed: {
      any: withheld(changed.any),
      outcome: withheld(changed.outcome),
      tags: withheld(changed.tags),
      products: withheld(changed.products),
      alerts: withheld(changed.alerts),
    },
    rules: rules.map(({ rule, baseline, candidate }) => ({ rule, baseline: withheld(baseline), candidate: withheld(candidate) })),
    outcomes: { baseline: outcomeCounts(outcomes.baseline), candidate: outcomeCounts(outcomes.candidate) },
    deltas: { tags: largeDeltas(deltas.tags), alerts: largeDeltas(deltas.alerts), products: largeDeltas(deltas.products) },
    ...(labels && {
      labels: {
        reviewed: withheld(labels.reviewed),
        rules: labels.rules.map(({ baseline, candidate, ...rule }) => ({
          ...rule,
          baseline: labelCounts(baseline),
          candidate: labelCounts(candidate),
        })),
      },
    }),
    ...(fairness && { fairness: discloseFairness(fairness) }),
    notes: [
      ...notes,
      `Counts below ${MIN_DISCLOSED_COUNT} are null, deltas smaller than ${MIN_DISCLOSED_COUNT} are left out and examples are withheld: they need audit:read.`,
    ],
    disclosure: { level: 'aggregate', minimumCount: MIN_DISCLOSED_COUNT } satisfies Disclosure,
  };
}

/**
 * Fairness groups as aggregate readers see them: counts below MIN_DISCLOSED_COUNT null, and the
 * approval rate of a group that small null (rate × size would give its count back). The ratios
 * stay: they are taken over groups of at least MIN_GROUP_SIZE (= MIN_DISCLOSED_COUNT) inputs only.
 */
function discloseFairness(fairness: FairnessReport) {
  const side = (counts: FairnessSide, inputs: number) => ({
    approve: withheld(counts.approve),
    review: withheld(counts.review),
    decline: withheld(counts.decline),
    approvalRate: inputs < MIN_DISCLOSED_COUNT ? null : counts.approvalRate,
  });
  return {
    ...fairness,
    attributes: fairness.attributes.map((attribute) => ({
      ...attribute,
      notStated: withheld(attribute.notStated),
      groups: attribute.groups.map((group) => ({
        group: group.group,
        inputs: withheld(group.inputs),
        baseline: side(group.baseline, group.inputs),
        candidate: side(group.candidate, group.inputs),
      })),
    })),
  };
}
