import { randomBytes } from 'node:crypto';
import { leafFactValue } from '../../engine/condition-compiler.js';
import type { RuleLayout } from '../../engine/explanation-layout.js';
import type { RulesetEvaluator } from '../../engine/ruleset-evaluation.js';
import type { DecisionRecord } from './decision-record.js';
import { decisionResponse } from './decision-view.js';
import type { LoggedExplanationsResult } from './logged-explanations.js';

/** A decision as answered: its log entry, its explanations, and (when just evaluated) the rulesets it was evaluated with. */
export interface DecisionAnswer {
  record: DecisionRecord;
  explained: LoggedExplanationsResult;
  rulesets?: readonly RulesetEvaluator[];
}

/** The JSON text of one rule's explanation around what depends on the facts: the version fixes the rest. */
interface RuleText {
  /** Up to `"fired":` */
  head: string;
  /** From `,"event":` to the opening of the conditions. */
  event: string;
  /** Each leaf up to its fact value, and from its result's key on. */
  leaves: { head: string; tail: string }[];
}

/** Per layout (one per compiled version), the static text of its rules' explanations. */
const texts = new WeakMap<readonly RuleLayout[], RuleText[]>();

function ruleTexts(layout: readonly RuleLayout[], ruleset: { id: string; version: number }): RuleText[] {
  const known = texts.get(layout);
  if (known) return known;
  // Each piece is JSON.stringify of the very fields the response holds, cut where a fact-dependent value goes.
  const open = (value: object) => JSON.stringify(value).slice(0, -1);
  const made = layout.map(({ name, priority, event, leaves }) => ({
    head: `${open({ ruleset: ruleset.id, version: ruleset.version, rule: name, priority })},"fired":`,
    event: `,"event":${JSON.stringify(event)},"conditions":[`,
    leaves: leaves.map(({ fact, path, operator, value, at }) => ({
      head: open(path === undefined ? { fact, operator, value } : { fact, path, operator, value }),
      tail: `,"at":${JSON.stringify(at)}}`,
    })),
  }));
  texts.set(layout, made);
  return made;
}

/**
 * One ruleset's explanations as the response's JSON, from its leaf results (explanation-codec.ts) and the
 * facts: the text JSON.stringify makes of the rebuilt explanations, without building or walking them.
 */
function explanationsText(
  code: string,
  layout: readonly RuleLayout[],
  ruleset: { id: string; version: number },
  facts: Record<string, unknown>,
): string[] {
  const rules = ruleTexts(layout, ruleset);
  const segments = code.split(',');
  return rules.map((rule, index) => {
    const segment = segments[index]!;
    let text = rule.head + (segment[0] === '1' ? 'true' : 'false') + rule.event;
    layout[index]!.leaves.forEach((leaf, position) => {
      const mark = segment[position + 1];
      text += (position === 0 ? '' : ',') + rule.leaves[position]!.head;
      if (mark !== '-') {
        const value = JSON.stringify(leafFactValue(facts[leaf.fact], leaf.path));
        if (value !== undefined) text += `,"factValue":${value}`;
      }
      text += (mark === '1' ? ',"result":true' : ',"result":false') + rule.leaves[position]!.tail;
    });
    return `${text}]}`;
  });
}

// Stands for the explanations while the rest is serialised: a string no decision holds (escaped inside any value).
const PLACEHOLDER = `"explanations-${randomBytes(12).toString('hex')}"`;

/**
 * The decision response's JSON text: exactly JSON.stringify(decisionResponse(...)), serialised once.
 * A decision just evaluated writes its explanations from its leaf results and facts through the static
 * text of each version's rules (about 5× faster than serialising 25 KB of explanation objects); any other
 * answer is serialised as it is.
 */
export function decisionResponseJson({ record, explained, rulesets }: DecisionAnswer): string {
  const { personal, core } = record;
  const codes = personal?.leafResults;
  // Leaf results carry no snooze marks: a decision with snoozes (rare) is serialised as it is.
  const snoozed = (personal?.snoozes?.length ?? 0) > 0;
  const fast = rulesets !== undefined && !snoozed && codes?.every((code) => typeof code === 'string') === true;
  if (!fast) return JSON.stringify(decisionResponse(record, explained));
  const response = decisionResponse(record, { explanations: [], ...(explained.reasons && { reasons: explained.reasons }) });
  const parts = (codes as string[]).flatMap((code, index) => {
    const { id, version } = core.rulesets[index]!;
    return explanationsText(code, rulesets[index]!.layout, { id, version }, personal!.facts);
  });
  // A function, not a string: a replacement string would read `$&` and its kin in the text.
  return JSON.stringify({ ...response, explanations: PLACEHOLDER_VALUE }).replace(PLACEHOLDER, () => `[${parts.join(',')}]`);
}

const PLACEHOLDER_VALUE = JSON.parse(PLACEHOLDER) as string;
