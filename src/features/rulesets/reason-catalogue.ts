import type { ErrorDetail } from '../../errors/domain-error.js';
import { REASON_CODE_PATTERN, type Rule } from '../../engine/rule-schema.js';

const REASON_CODE = new RegExp(REASON_CODE_PATTERN);

/**
 * Every rule event naming a reason its draft's catalogue does not hold, pointed at `params.reason` (a
 * malformed code is the params schema's problem, reported once, there).
 * Reasons are told to applicants: a code without its text would leave a declined applicant without one.
 */
export function unknownReasonProblems(rules: readonly Rule[], catalogue: Readonly<Record<string, string>>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  rules.forEach((rule, index) => {
    const code = rule.event.params.reason;
    if (typeof code === 'string' && REASON_CODE.test(code) && !Object.hasOwn(catalogue, code)) {
      problems.push({
        path: `/rules/${index}/event/params/reason`,
        message: `names the reason code ${code}, which is not in the draft's reasons (add it there with the text an applicant reads)`,
      });
    }
  });
  return problems;
}
