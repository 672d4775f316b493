import { ClosureRuleset } from './closure-ruleset.js';
import { ReferenceRuleset } from './reference-ruleset.js';
import type { EvaluatorFactory } from './ruleset-evaluation.js';
import { engineInfo } from './engine-info.js';
import type { EngineKind } from './engine-kind.js';
import { SEMANTICS, type EngineDescription } from './semantics.js';

/**
 * `compiled` (default): rules compiled once into closures, proven identical to the reference by the
 * differential test. `reference`: json-rules-engine running our operators (the same semantics), kept
 * selectable as the yardstick.
 */
export function evaluatorFactory(kind: EngineKind): EvaluatorFactory {
  return kind === 'reference'
    ? (identity, rules) => new ReferenceRuleset(identity, rules)
    : (identity, rules) => new ClosureRuleset(identity, rules);
}

/**
 * What the decision log records as the engine: which evaluator, the json-rules-engine version whose rule
 * format it reads, and the semantics it evaluates with (not stock json-rules-engine's: see semantics.ts).
 */
export function engineDescription(kind: EngineKind): Required<EngineDescription> {
  const { version } = engineInfo();
  const name =
    kind === 'reference'
      ? `json-rules-engine with the ${SEMANTICS} operators`
      : `compiled-closures (json-rules-engine ${version} rule format)`;
  return { name, version, semantics: SEMANTICS };
}
