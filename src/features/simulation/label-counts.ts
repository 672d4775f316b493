import type { Rule } from '../../engine/rule-schema.js';
import { REVIEW_LABELS, type ReviewLabel } from '../reviews/review-store.js';

export type LabelCounts = Record<ReviewLabel, number>;

/** Per alert rule: how many reviewed decisions it hits with each label, under baseline and candidate. */
export interface LabelReport {
  /** Inputs (logged decisions) with a review. */
  reviewed: number;
  rules: { rule: string; code: string; baseline: LabelCounts; candidate: LabelCounts }[];
}

const noLabels = (): LabelCounts => ({ fraud: 0, legitimate: 0, unsure: 0 });

/**
 * Analysts' labels as a measure of alert rules: a rule change that hits more `fraud` and fewer
 * `legitimate` decisions is more precise, before it ships.
 */
export class LabelCounter {
  private readonly rules = new Map<string, { code: string; baseline: LabelCounts; candidate: LabelCounts }>();
  private count = 0;

  constructor(rules: readonly Rule[]) {
    for (const rule of rules) {
      if (rule.event.type !== 'alert') continue;
      const code = String((rule.event.params as { code?: unknown }).code);
      this.rules.set(rule.name, { code, baseline: noLabels(), candidate: noLabels() });
    }
  }

  reviewed(): void {
    this.count += 1;
  }

  hit(rule: string, side: 'baseline' | 'candidate', label: ReviewLabel): void {
    const counts = this.rules.get(rule);
    if (counts && REVIEW_LABELS.includes(label)) counts[side][label] += 1;
  }

  report(): LabelReport {
    return { reviewed: this.count, rules: [...this.rules].map(([rule, counts]) => ({ rule, ...counts })) };
  }
}
