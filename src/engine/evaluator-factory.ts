import { ClosureRuleset } from './closure-ruleset.js';
import { ReferenceRuleset } from './reference-ruleset.js';
import type { EvaluatorFactory } from './ruleset-evaluation.js';
import { engineInfo } from './engine-info.js';
import type { EngineKind } from './engine-kind.js';

/**
 * `compiled` (default): rules compiled once into closures, proven identical to json-rules-engine by
 * the differential test. `reference`: json-rules-engine itself, kept selectable as the yardstick.
 */
export function evaluatorFactory(kind: EngineKind): EvaluatorFactory {
  return kind === 'reference'
    ? (identity, rules) => new ReferenceRuleset(identity, rules)
    : (identity, rules) => new ClosureRuleset(identity, rules);
}

/** What the decision log records as the engine: which evaluator, and the json-rules-engine semantics it follows. */
export function engineDescription(kind: EngineKind): { name: string; version: string } {
  const reference = engineInfo();
  return kind === 'reference'
    ? reference
    : { name: `compiled-closures (json-rules-engine ${reference.version} semantics)`, version: reference.version };
}
