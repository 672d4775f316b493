import type { ErrorDetail } from '../errors/domain-error.js';
import { parsePath } from './fact-path.js';
import type { Condition, Rule, RulesetKind } from './rule-schema.js';

/**
 * A fact, or a value inside one, that credit decisions must not turn on (PROTECTED_FACTS): `age`,
 * `basic.gender`. Written `fact` or `fact.field.field`, the fields as a rule's path would name them.
 */
export interface ProtectedFact {
  /** As configured, e.g. `basic.gender`. */
  name: string;
  fact: string;
  path: string[];
}

/** The syntax of a PROTECTED_FACTS entry. */
export const PROTECTED_FACT_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function parseProtectedFact(name: string): ProtectedFact {
  const [fact, ...path] = name.split('.');
  return { name, fact: fact!, path };
}

/**
 * Kinds whose rules decide credit or what a customer is offered: reading a protected fact there
 * needs an acknowledgement. Tagging (marketing) and fraud rulesets may read them freely.
 */
const RESTRICTED_KINDS: ReadonlySet<RulesetKind> = new Set(['risk', 'product']);

export const isRestrictedKind = (kind: RulesetKind): boolean => RESTRICTED_KINDS.has(kind);

/**
 * Where rules of a restricted kind read a protected fact: one warning per leaf condition, its JSON
 * pointer at the leaf's `fact` (as a validation error would point). A leaf reads a protected value
 * when it names its fact and its path (none: the whole fact) leads to the value or into it, or to an
 * object holding it (`basic` without a path holds `basic.gender`). Message placeholders are not
 * criteria and are not flagged.
 */
export function protectedFactReads(kind: RulesetKind, rules: readonly Rule[], protectedFacts: readonly ProtectedFact[]): ErrorDetail[] {
  if (!isRestrictedKind(kind) || protectedFacts.length === 0) return [];
  const warnings: ErrorDetail[] = [];
  const visit = (node: Condition, pointer: string): void => {
    if ('fact' in node) {
      const read = protectedFacts.find((entry) => reads(node.fact, node.path, entry));
      if (read) warnings.push({ path: `${pointer}/fact`, message: `reads the protected fact ${read.name} (PROTECTED_FACTS)` });
      return;
    }
    if ('not' in node) {
      visit(node.not, `${pointer}/not`);
      return;
    }
    const [key, children] = 'all' in node ? ['all', node.all] : ['any', node.any];
    children.forEach((child, index) => {
      visit(child, `${pointer}/${key}/${index}`);
    });
  };
  rules.forEach((rule, index) => {
    visit(rule.conditions, `/rules/${index}/conditions`);
  });
  return warnings;
}

function reads(fact: string, path: string | undefined, entry: ProtectedFact): boolean {
  if (fact !== entry.fact) return false;
  const segments = path === undefined ? [] : parsePath(path).map(String);
  const shorter = Math.min(segments.length, entry.path.length);
  for (let index = 0; index < shorter; index++) if (segments[index] !== entry.path[index]) return false;
  return true;
}
