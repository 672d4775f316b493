/**
 * The name of the rule semantics both evaluators implement (README, Rulesets: Semantics). Rules are
 * written in json-rules-engine's format and evaluated in its order, but a leaf holds only on a fact that is
 * present and of the type its operator compares, and `not` negates that: this differs from stock
 * json-rules-engine 7.3.1 in exactly the ways the README lists (tests/differential/stock-engine.test.ts
 * holds us to them). A change of meaning gets a new name, so that every logged decision says which
 * semantics decided it and a replay can refuse what it cannot evaluate the same way.
 */
export const SEMANTICS = 'lender-rules/1';

/** What a decision log entry records of the evaluator; `semantics` is absent on entries logged before it had a name. */
export interface EngineDescription {
  name: string;
  version: string;
  semantics?: string;
}

/**
 * The semantics a logged decision was evaluated with. Entries logged before the semantics had a name
 * were evaluated by the same evaluators with the same operators (they said "json-rules-engine 7.3.1
 * semantics"), so they are lender-rules/1.
 */
export function loggedSemantics(engine: Partial<EngineDescription> | undefined): string | undefined {
  if (engine?.semantics !== undefined) return engine.semantics;
  return typeof engine?.name === 'string' && engine.name.includes('json-rules-engine') ? SEMANTICS : undefined;
}
