import type { DecisionMetrics } from '../../metrics/service-metrics.js';
import { type DecideDeps, type DecideInput, DecideUseCase } from './decide.js';
import type { DecisionAnswer } from './decision-json.js';

/**
 * The decide use case, counting each decision it answers by outcome and ruleset. A subclass rather
 * than calls inside decide.ts: the decision path stays as it reads, and what is counted is exactly
 * what the route answers (an idempotent retry's earlier decision included).
 */
export class MeasuredDecideUseCase extends DecideUseCase {
  constructor(
    deps: DecideDeps,
    private readonly metrics: DecisionMetrics,
  ) {
    super(deps);
  }

  override async decide(input: DecideInput): Promise<DecisionAnswer> {
    const answer = await super.decide(input);
    const { record } = answer;
    this.metrics.decided(
      record.core.outcome,
      record.core.rulesets.map((ruleset) => ruleset.id),
    );
    return answer;
  }
}
