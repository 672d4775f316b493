import RE2 from 're2';
import { RE2JS } from 're2js';

/**
 * The `matches` operator's engine: RE2 (the `re2` package, Google's C++ library), which never
 * backtracks: a match costs time linear in the input, whatever the pattern. The price is RE2's syntax:
 * no back-references and no lookaround (a pattern using them is refused when saved).
 *
 * Linear is not yet cheap: RE2's constant is the size of the pattern's compiled program. On adversarial
 * 1,000-character inputs a 20-character pattern such as `(?:.{0,20}a){1,20}xy` (843 instructions) took
 * 50–90 ms per match, `[ab]*a[ab]{12}x` (about 20 units) stays near 10 µs. So each pattern has a size
 * (its program as RE2 compiles it, see `patternSize`), and sizes are limited per pattern and per
 * ruleset: the worst ruleset's matching is bounded by its size (README, Rules).
 */

export const MAX_PATTERN_LENGTH = 200;
/** The `matches` operator tests at most this many leading characters of a fact. */
export const MATCH_INPUT_LIMIT = 1000;
/** The largest size one pattern may have (see `patternSize`). */
export const MAX_PATTERN_SIZE = 100;
/** The largest total size of a ruleset's `matches` patterns (each condition counts, repeated or not). */
export const MAX_RULESET_PATTERN_SIZE = 1000;

/** re2js's instruction codes (its Inst class), for the instructions that match characters. */
const RUNE_INSTRUCTIONS = new Set([8, 9]);
const ANY_CHARACTER_INSTRUCTIONS = new Set([10, 11]);
const FOLD_CASE = 1;
/** A class of many ranges compiles to many UTF-8 byte ranges in RE2; beyond 16 the cost grows slowly. */
const MAX_CLASS_WEIGHT = 16;
/** "Any character" is four UTF-8 sequences of 1 to 4 bytes. */
const ANY_CHARACTER_WEIGHT = 4;

/**
 * A pattern's cost unit: the instructions of its RE2 program (re2js, a faithful port of RE2's compiler,
 * counts them; the C++ library does not expose its program), with each character class weighted by its
 * ranges (up to 16, doubled when case-insensitive) and "any character" by 4, because RE2 matches UTF-8
 * bytes and such instructions become several. `^\d{6}$` is 10, the usual IPv4 pattern 77.
 */
export function patternSize(pattern: string): number {
  const program = RE2JS.compile(RE2JS.translateRegExp(pattern)).re2Input.prog as {
    inst: { op: number; arg: number; runes: ArrayLike<number> }[];
  };
  let size = 0;
  for (const instruction of program.inst) {
    if (RUNE_INSTRUCTIONS.has(instruction.op)) {
      const ranges = Math.min(MAX_CLASS_WEIGHT, Math.max(1, instruction.runes.length / 2));
      size += (instruction.arg & FOLD_CASE) !== 0 ? 2 * ranges : ranges;
    } else {
      size += ANY_CHARACTER_INSTRUCTIONS.has(instruction.op) ? ANY_CHARACTER_WEIGHT : 1;
    }
  }
  return size;
}

/** A pattern compiled once (per ruleset version), tested against the first 1,000 characters of a fact. */
export class CompiledPattern {
  constructor(
    readonly source: string,
    private readonly regex: RE2,
  ) {}

  test(text: string): boolean {
    return this.regex.test(text.length > MATCH_INPUT_LIMIT ? text.slice(0, MATCH_INPUT_LIMIT) : text);
  }
}

/** RE2's own refusal of a pattern, as its author should read it. */
function re2Problem(pattern: string): string | undefined {
  try {
    new RE2(pattern, 'u');
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/\\[1-9]|\\k/.test(pattern) && /escape/.test(reason)) return `uses a back-reference, which RE2 does not support (${reason})`;
    if (/\(\?<?[=!]/.test(pattern)) return `uses a lookahead or lookbehind, which RE2 does not support (${reason})`;
    return `is not a valid RE2 regular expression (${reason})`;
  }
}

/**
 * Why `pattern` cannot be used by `matches`, else its size. Messages start with "The pattern" so that
 * the author reads them next to the pointer to the condition's value.
 */
export function checkPattern(pattern: string): { problem: string } | { size: number } {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { problem: `The pattern is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed` };
  }
  const problem = re2Problem(pattern);
  if (problem !== undefined) return { problem: `The pattern ${problem}` };
  let size: number;
  try {
    size = patternSize(pattern);
  } catch (error) {
    // RE2 accepted it but its port did not: a corner of the syntax the size cannot be measured for.
    return { problem: `The pattern uses syntax whose size cannot be measured (${error instanceof Error ? error.message : String(error)})` };
  }
  if (size > MAX_PATTERN_SIZE) {
    return {
      problem:
        `The pattern has size ${size}; at most ${MAX_PATTERN_SIZE} is allowed (counted repetitions such as {0,30} ` +
        'multiply the size of what they repeat, and large classes such as \\pL weigh more)',
    };
  }
  return { size };
}

/**
 * Compiles a pattern for evaluation; undefined when RE2 refuses it (possible only in rules that skipped
 * validation, e.g. a replay of a version saved before RE2): such a condition never holds.
 */
export function compilePattern(pattern: string): CompiledPattern | undefined {
  try {
    return new CompiledPattern(pattern, new RE2(pattern, 'u'));
  } catch {
    return undefined;
  }
}
