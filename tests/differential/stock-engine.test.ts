import { expect } from 'chai';
import path from 'node:path';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { ClosureRuleset } from '../../src/engine/closure-ruleset.js';
import { readPath } from '../../src/engine/fact-path.js';
import { ReferenceRuleset } from '../../src/engine/reference-ruleset.js';
import type { Condition, LeafCondition, Rule } from '../../src/engine/rule-schema.js';
import { collectFactNames } from '../../src/engine/rule-facts.js';
import { buildFactContext, computeFacts } from '../../src/facts/fact-library.js';
import { validateDraft } from '../../src/features/rulesets/draft-validator.js';
import { readShippedRulesets } from '../../src/features/rulesets/shipped-rulesets.js';
import { fixture } from '../helpers/fixtures.js';
import { generateDecisionInput, generateRuleset, integer, mulberry32, type Rng } from '../helpers/generators.js';
import { StockEngine } from '../helpers/stock-engine.js';

/**
 * Our semantics (lender-rules/1) against json-rules-engine 7.3.1 as it comes (StockEngine). The README
 * documents every difference; this holds us to exactly those: on generated rulesets and inputs, each leaf
 * is evaluated alone by both (one probe rule per leaf), every leaf on which they disagree must fall in a
 * documented class, and each rule's outcome must be what all/any/not make of its leaves in both engines
 * alike, so that no disagreement can come from anywhere else. Every class must be seen deciding a rule.
 */

const ABSENT = 'negative-operator-on-absent-fact';
const NON_NUMBER = 'numeric-comparison-on-non-number';
const DIFFERENCE_CLASSES = [ABSENT, NON_NUMBER] as const;
const NUMERIC_OPERATORS = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);

/** The documented class of a leaf on which stock and ours disagree; undefined when none explains it. */
function differenceClass(leaf: LeafCondition, factValue: unknown, stock: boolean, ours: boolean): string | undefined {
  if (!stock || ours) return undefined;
  if (factValue === undefined && (leaf.operator === 'notEqual' || leaf.operator === 'notIn')) return ABSENT;
  if (factValue !== undefined && typeof factValue !== 'number' && NUMERIC_OPERATORS.has(leaf.operator)) return NON_NUMBER;
  return undefined;
}

type Tree = { leaf: number } | { all: Tree[] } | { any: Tree[] } | { not: Tree };

/** A condition as a tree over leaf indexes; `leaves` receives its leaves in order. */
function treeOf(node: Condition, leaves: LeafCondition[]): Tree {
  if ('all' in node) return { all: node.all.map((child) => treeOf(child, leaves)) };
  if ('any' in node) return { any: node.any.map((child) => treeOf(child, leaves)) };
  if ('not' in node) return { not: treeOf(node.not, leaves) };
  leaves.push(node);
  return { leaf: leaves.length - 1 };
}

/** What all/any/not make of the leaves' truths: the same in both engines. */
function holds(tree: Tree, truths: readonly boolean[]): boolean {
  if ('leaf' in tree) return truths[tree.leaf]!;
  if ('all' in tree) return tree.all.every((child) => holds(child, truths));
  if ('any' in tree) return tree.any.some((child) => holds(child, truths));
  return !holds(tree.not, truths);
}

/** The fact value a leaf compares: a path applies to objects only, as both engines read it. */
function leafFactValue(leaf: LeafCondition, facts: Record<string, unknown>): unknown {
  const value = facts[leaf.fact];
  return leaf.path !== undefined && value !== null && typeof value === 'object' ? readPath(value, leaf.path) : value;
}

const identityOf = (id: string) => ({ id, version: 1, kind: 'risk' as const, checksum: `sha256:${id}` });
const firedOf = (evaluator: ClosureRuleset, facts: Record<string, unknown>, eventTime: Date) =>
  new Set(
    evaluator
      .evaluateSync(facts, eventTime)
      .rules.filter((rule) => rule.fired)
      .map((rule) => rule.rule),
  );

interface Tally {
  /** Rule outcomes compared, and those that differ. */
  outcomes: number;
  disagreements: number;
  /** Per class: rules whose outcome differs because of leaves of that class alone. */
  decidedBy: Map<string, number>;
  /** Anything outside the documented classes: must stay empty. */
  unexplained: string[];
}

/** Both engines on one ruleset over `inputs` generated inputs; everything found goes into `tally`. */
async function compareRuleset(rules: readonly Rule[], inputs: number, rng: Rng, tally: Tally): Promise<void> {
  const leaves: LeafCondition[] = [];
  // Each rule's tree, and where its leaves are in `leaves`.
  const spans = rules.map((rule) => {
    const start = leaves.length;
    const tree = treeOf(rule.conditions as Condition, leaves);
    return { tree, start, end: leaves.length };
  });
  const probes: Rule[] = leaves.map((leaf, index) => ({
    name: `leaf-${index}`,
    conditions: { all: [leaf] },
    event: { type: 'tag', params: { tag: 'probe' } },
  }));
  const factNames = collectFactNames(rules);
  const [ours, ourProbes] = [new ClosureRuleset(identityOf('rules'), rules), new ClosureRuleset(identityOf('probes'), probes)];
  const [stock, stockProbes] = [new StockEngine(rules, factNames), new StockEngine(probes, factNames)];
  for (let input = 0; input < inputs; input += 1) {
    const { profile, event, history } = generateDecisionInput(rng);
    const context = buildFactContext(profile, event, history);
    const facts = computeFacts(context, factNames);
    const ourLeafSet = firedOf(ourProbes, facts, context.eventTime);
    const stockLeafSet = new Set(await stockProbes.firedRules(facts, context.eventTime));
    const ourTruths = probes.map((probe) => ourLeafSet.has(probe.name));
    const stockTruths = probes.map((probe) => stockLeafSet.has(probe.name));
    const leafClasses = leaves.map((leaf, index) =>
      ourTruths[index] === stockTruths[index]
        ? null
        : differenceClass(leaf, leafFactValue(leaf, facts), stockTruths[index]!, ourTruths[index]!),
    );
    leafClasses.forEach((found, index) => {
      if (found === undefined) {
        tally.unexplained.push(`leaf ${JSON.stringify(leaves[index])}: stock ${stockTruths[index]}, ours ${ourTruths[index]}`);
      }
    });
    const ourFired = firedOf(ours, facts, context.eventTime);
    const stockFired = new Set(await stock.firedRules(facts, context.eventTime));
    rules.forEach((rule, ruleIndex) => {
      const { tree, start, end } = spans[ruleIndex]!;
      const classes = new Set(leafClasses.slice(start, end).filter((found) => typeof found === 'string'));
      tally.outcomes += 1;
      if (holds(tree, ourTruths) !== ourFired.has(rule.name)) tally.unexplained.push(`ours on ${rule.name}: not what its leaves make`);
      if (holds(tree, stockTruths) !== stockFired.has(rule.name)) tally.unexplained.push(`stock on ${rule.name}: not what its leaves make`);
      if (ourFired.has(rule.name) === stockFired.has(rule.name)) return;
      tally.disagreements += 1;
      if (classes.size === 1) {
        const [only] = classes as Set<string>;
        tally.decidedBy.set(only!, (tally.decidedBy.get(only!) ?? 0) + 1);
      }
    });
  }
}

const newTally = (): Tally => ({ outcomes: 0, disagreements: 0, decidedBy: new Map(), unexplained: [] });

interface SemanticsCase {
  name: string;
  difference: string | null;
  conditions: Rule['conditions'];
  facts: Record<string, unknown>;
  stock: boolean;
  ours: boolean;
}

describe('lender-rules/1 against stock json-rules-engine 7.3.1', function () {
  this.timeout(300_000);

  describe('the documented examples', () => {
    const examples = fixture<{ eventTime: string; cases: SemanticsCase[] }>('rules/semantics.json');
    const eventTime = new Date(examples.eventTime);

    it('when the examples are listed, then each documented difference has one and every other example agrees', () => {
      const classes = examples.cases.map((example) => example.difference);

      expect(new Set(classes.filter((found) => found !== null))).to.deep.equal(new Set(DIFFERENCE_CLASSES));
      for (const example of examples.cases) expect(example.stock === example.ours, example.name).to.equal(example.difference === null);
    });

    for (const example of examples.cases) {
      const expectation = example.difference === null ? 'both agree' : `they differ (${example.difference})`;
      it(`when ${example.name}, then stock fires ${example.stock}, ours ${example.ours}: ${expectation}`, async () => {
        const rules: Rule[] = [{ name: 'example', conditions: example.conditions, event: { type: 'tag', params: { tag: 'example' } } }];
        const stock = new StockEngine(rules, collectFactNames(rules));
        const compiled = new ClosureRuleset(identityOf('example'), rules);
        const reference = new ReferenceRuleset(identityOf('example'), rules);

        const stockFired = (await stock.firedRules(example.facts, eventTime)).includes('example');
        const compiledFired = compiled.evaluateSync(example.facts, eventTime).rules[0]!.fired;
        const referenceFired = (await reference.evaluate(example.facts, eventTime)).rules[0]!.fired;

        expect({ stock: stockFired, compiled: compiledFired, reference: referenceFired }).to.deep.equal({
          stock: example.stock,
          compiled: example.ours,
          reference: example.ours,
        });
      });
    }
  });

  it('when 1,000 generated inputs go through the shipped rulesets, then stock fires the same rules', async () => {
    const tally = newTally();
    const rng = mulberry32(20261123);
    for (const ruleset of readShippedRulesets(path.join(REPO_ROOT, 'rulesets'))) {
      await compareRuleset(validateDraft({ rules: ruleset.rules, reasons: ruleset.reasons }).rules, 1000, rng, tally);
    }

    expect(tally.unexplained.slice(0, 5)).to.deep.equal([]);
    expect(tally.disagreements).to.equal(0);
    expect(tally.outcomes).to.be.greaterThan(40_000);
  });

  it('when 150 valid generated rulesets each see 10 inputs, then every disagreement is a documented difference, and each is seen', async () => {
    const tally = newTally();
    for (let seed = 1; seed <= 150; seed += 1) {
      const rng = mulberry32(seed);
      await compareRuleset(validateDraft({ rules: generateRuleset(rng, integer(rng, 1, 30)) }).rules, 10, rng, tally);
    }

    expect(tally.unexplained.slice(0, 5), `${tally.unexplained.length} outside the documented differences`).to.deep.equal([]);
    for (const name of DIFFERENCE_CLASSES) expect(tally.decidedBy.get(name) ?? 0, `rules decided by ${name} alone`).to.be.greaterThan(0);
    expect(tally.disagreements, `of ${tally.outcomes} rule outcomes`).to.be.greaterThan(20);
  });
});
