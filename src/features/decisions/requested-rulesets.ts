import { validationFailed, type ErrorDetail } from '../../errors/domain-error.js';
import type { RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import type { RulesetRuntime } from '../rulesets/ruleset-runtime.js';
import type { DecisionRequest } from './decision-schema.js';

/** The rulesets a decision request asks for (default: every active one), each at its pinned or active version. */
export async function requestedRulesets(request: DecisionRequest, runtime: RulesetRuntime): Promise<RulesetEvaluator[]> {
  const details: ErrorDetail[] = [];
  // A Map: ruleset ids are the client's keys, and a plain object would answer pins["constructor"].
  const pins = new Map(Object.entries(request.versions ?? {}));
  const ids = request.rulesets ?? [...new Set([...runtime.activeRulesets().map((r) => r.identity.id), ...pins.keys()])];
  for (const id of pins.keys()) {
    if (!ids.includes(id)) details.push({ path: `/versions/${id}`, message: 'pins a ruleset that is not requested' });
  }
  const resolved: RulesetEvaluator[] = [];
  for (const [index, id] of ids.entries()) {
    const pinned = pins.get(id);
    const ruleset = pinned !== undefined ? await runtime.version(id, pinned) : runtime.activeVersionOf(id);
    if (ruleset) resolved.push(ruleset);
    else if (pinned !== undefined) details.push({ path: `/versions/${id}`, message: `ruleset ${id} has no version ${pinned}` });
    else details.push({ path: `/rulesets/${index}`, message: `ruleset ${id} does not exist or has no active version` });
  }
  if (details.length > 0) throw validationFailed('The rulesets requested cannot be evaluated.', details);
  return resolved;
}
