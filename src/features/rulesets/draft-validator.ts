import { validationFailed, type ErrorDetail } from '../../errors/domain-error.js';
import { ruleProblems } from '../../engine/rule-validator.js';
import { FACTS_BY_NAME } from '../../facts/fact-library.js';
import { toDetails, validatorFor } from '../../schema/validation.js';
import { draftSchema, type Draft } from './draft-schema.js';
import { collectListIds } from '../../engine/rule-lists.js';
import { unknownReasonProblems } from './reason-catalogue.js';

/**
 * Checks a draft completely before it is saved: its schema, then its rules against the fact library
 * (the engine's checks), then the reason codes its events name, then its test names. Throws one 400 VALIDATION_FAILED listing every problem
 * with a JSON pointer to it.
 */
export function validateDraft(input: unknown): Draft {
  const validate = validatorFor(draftSchema);
  if (!validate(input)) throw validationFailed('The draft is invalid.', toDetails(validate.errors));
  const draft = input as Draft;
  draft.tests ??= [];
  draft.reasons ??= {};
  const details: ErrorDetail[] = ruleProblems(draft.rules, FACTS_BY_NAME);
  details.push(...unknownReasonProblems(draft.rules, draft.reasons));
  const testNames = new Set<string>();
  draft.tests.forEach((test, index) => {
    if (testNames.has(test.name)) details.push({ path: `/tests/${index}/name`, message: 'duplicate test name' });
    testNames.add(test.name);
  });
  if (details.length > 0) throw validationFailed('The draft is invalid.', details);
  return draft;
}

/** A draft whose list conditions name a list that does not exist is refused, pointing at the first use of each. */
export async function validateDraftLists(draft: Draft, listExists: (listId: string) => Promise<boolean>): Promise<Draft> {
  const details: ErrorDetail[] = [];
  for (const [listId, at] of collectListIds(draft.rules)) {
    if (!(await listExists(listId)))
      details.push({ path: at, message: `no list with id ${listId} (create it with PUT /v1/lists/${listId})` });
  }
  if (details.length > 0) throw validationFailed('The draft names lists that do not exist.', details);
  return draft;
}
