/**
 * Guards the `matches` operator against ReDoS: a pattern saved in a draft runs against customer data in
 * every decision, on V8's backtracking regex engine, which has no time limit.
 *
 * Why these checks are enough. A backtracking engine is slow only when it can match the same text in
 * many different ways and must try them all before failing. There are three ways to get there:
 *
 * 1. Features that defeat any analysis: back-references (`\1`, `\k<name>`) make matching NP-hard, and
 *    lookbehind runs the engine backwards over arbitrary text. Both are refused.
 * 2. Exponential ambiguity: a repeated group whose body can match one piece of text in more than one way,
 *    which needs either a quantifier inside the group (`(a+)+`, `(a*)*`, `(\w+\s?)*`, `(.*a){20}`) or
 *    alternatives that can start with the same character (`(a|aa)+`, `(\d|\w)*`). Every way of splitting
 *    the text between iterations is tried: 2^n for n characters. Any group repeated more than once whose
 *    body holds a quantifier with a variable count (fixed counts such as `\d{3}` cannot split text
 *    differently) or alternatives with overlapping first characters is refused.
 * 3. Polynomial ambiguity, which the nesting rule alone does not catch and which is just as real on a
 *    1,000-character input: `\d+\d+x`, `.*a.*b` (unanchored), `^(a*)(a*)(a*)x` take 0.4–0.6 s on V8,
 *    one more overlapping quantifier takes minutes. Such a pattern has a chain of variable-count pieces
 *    in sequence that can trade characters (each pair overlaps, and whatever lies between them can be
 *    matched by both). The work is bounded by the product of their counts, times the start positions
 *    when the pattern is not anchored with `^`. With counts capped by the input length (1,000 characters,
 *    see `MATCH_INPUT_LIMIT`), a pattern is refused when that bound exceeds `MAX_BACKTRACKING_STEPS`.
 *
 * The analysis over-approximates (characters beyond ASCII share one bucket; a group counts as every
 * character it may consume; parts that may match nothing are looked through), so it refuses some harmless
 * patterns (e.g. `(北京|上海)+`, whose alternatives share the bucket) rather than accept harmful ones.
 * Patterns are limited to 200 characters, which also keeps the analysis itself cheap.
 */

export const MAX_PATTERN_LENGTH = 200;
/** The `matches` operator tests at most this many leading characters of a fact. */
export const MATCH_INPUT_LIMIT = 1000;
/** Fuzzing accepted patterns against adversarial 1,000-character inputs measured at most ~20 ms on V8. */
const MAX_BACKTRACKING_STEPS = 1e7;
/** No piece can repeat more often than there are characters, plus one for the empty match. */
const MAX_REPEAT_CHOICES = MATCH_INPUT_LIMIT + 1;

// Character sets as bit masks: one bit per ASCII code, one shared bit for every other character.
const NON_ASCII = 1n << 128n;
const ALL = ((1n << 128n) - 1n) | NON_ASCII;
const charBit = (code: number) => (code < 128 ? 1n << BigInt(code) : NON_ASCII);
function codeRange(from: number, to: number): bigint {
  let set = to > 127 ? NON_ASCII : 0n;
  for (let code = from; code <= Math.min(to, 127); code += 1) set |= charBit(code);
  return set;
}
// A complement always keeps the shared bit: excluding some non-ASCII characters leaves others.
const complement = (set: bigint) => (ALL & ~set) | NON_ASCII;
const DIGIT = codeRange(48, 57);
const WORD = DIGIT | codeRange(65, 90) | codeRange(97, 122) | charBit(95);
const SPACE = codeRange(9, 13) | charBit(32) | NON_ASCII;
const DOT = complement(charBit(10) | charBit(13));
const CLASS_ESCAPES: Record<string, bigint> = {
  d: DIGIT,
  D: complement(DIGIT),
  w: WORD,
  W: complement(WORD),
  s: SPACE,
  S: complement(SPACE),
};
const CONTROL_ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12, '0': 0 };

/** One quantified atom of a sequence: what it may consume and how many ways it may match. */
interface Piece {
  chars: bigint;
  firstChars: bigint;
  /** Upper bound on the number of ways the piece matches at one position (with its quantifier). */
  ways: number;
  zeroWidth: boolean;
  /** Can match the empty string (`a*`, `(a?)`, `(?:x|)`, assertions), so neighbours may touch across it. */
  nullable: boolean;
  anchorsStart: boolean;
  /** A group (its ways come from its body, not only from its own quantifier). */
  group: boolean;
  /** Quantified with a variable count (`*`, `+`, `?`, `{1,3}`), unlike a fixed `{3}`. */
  variableCount: boolean;
  /** A group body with a variable-count quantifier or overlapping alternatives (see rule 2). */
  ambiguousBody: 'quantifier' | 'alternation' | undefined;
}

interface Disjunction {
  chars: bigint;
  firstChars: bigint;
  /** Σ over alternatives of their backtracking bound. */
  ways: number;
  /** Σ over alternatives of the bound times the start positions tried (1 when anchored with ^). */
  searchSteps: number;
  nullable: boolean;
  ambiguousBody: Piece['ambiguousBody'];
}

class UnsafePattern extends Error {}

class PatternAnalyzer {
  private index = 0;

  constructor(private readonly source: string) {}

  analyze(): number {
    return this.disjunction(true).searchSteps;
  }

  private peek(offset = 0): string | undefined {
    return this.source[this.index + offset];
  }

  private disjunction(topLevel: boolean): Disjunction {
    const alternatives: Piece[][] = [this.sequence()];
    while (this.peek() === '|') {
      this.index += 1;
      alternatives.push(this.sequence());
    }
    const result: Disjunction = { chars: 0n, firstChars: 0n, ways: 0, searchSteps: 0, nullable: false, ambiguousBody: undefined };
    const firsts: bigint[] = [];
    for (const pieces of alternatives) {
      const bound = sequenceBound(pieces, topLevel);
      const first = pieces.find((piece) => !piece.zeroWidth);
      // After a piece that may match nothing, the next one's characters could come first: assume any.
      const firstChars = first && !first.nullable ? first.firstChars : ALL;
      if (firsts.some((other) => (other & firstChars) !== 0n)) result.ambiguousBody ??= 'alternation';
      firsts.push(firstChars);
      result.chars |= pieces.reduce((chars, piece) => chars | piece.chars, 0n);
      result.firstChars |= firstChars;
      result.ways += bound;
      result.nullable ||= pieces.every((piece) => piece.nullable);
      result.searchSteps += bound * (pieces[0]?.anchorsStart ? 1 : MAX_REPEAT_CHOICES);
      result.ambiguousBody ??= pieces.find((piece) => piece.ambiguousBody)?.ambiguousBody;
      if (pieces.some((piece) => piece.variableCount)) result.ambiguousBody = 'quantifier';
    }
    return result;
  }

  private sequence(): Piece[] {
    const pieces: Piece[] = [];
    while (this.index < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      const start = this.index;
      const piece = this.atom();
      const quantifier = this.quantifier();
      if (quantifier) {
        if (quantifier.max > 1 && piece.ambiguousBody) {
          const text = this.source.slice(start, this.index);
          throw new UnsafePattern(
            piece.ambiguousBody === 'quantifier'
              ? `repeats a group that itself contains a quantifier ("${text}"), which can take exponential time`
              : `repeats a group whose alternatives can start with the same character ("${text}"), which can take exponential time`,
          );
        }
        const choices = Math.min(quantifier.max - quantifier.min + 1, MAX_REPEAT_CHOICES);
        // A body repeated more than once is unambiguous (checked above): only the count varies.
        piece.ways = quantifier.max > 1 ? choices : choices * piece.ways;
        piece.variableCount = quantifier.min !== quantifier.max;
        piece.nullable ||= quantifier.min === 0;
      }
      pieces.push(piece);
    }
    return pieces;
  }

  private quantifier(): { min: number; max: number } | undefined {
    let bounds: { min: number; max: number } | undefined;
    const next = this.peek();
    if (next === '*' || next === '+' || next === '?') {
      this.index += 1;
      bounds = { min: next === '+' ? 1 : 0, max: next === '?' ? 1 : Number.POSITIVE_INFINITY };
    } else if (next === '{') {
      const braces = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.source.slice(this.index));
      if (!braces) return undefined;
      this.index += braces[0].length;
      const min = Number(braces[1]);
      bounds = { min, max: braces[2] ? (braces[3] ? Number(braces[3]) : Number.POSITIVE_INFINITY) : min };
    }
    if (bounds && this.peek() === '?') this.index += 1; // lazy: same ways, another order
    return bounds;
  }

  private atom(): Piece {
    const char = this.source[this.index++]!;
    if (char === '^' || char === '$') return zeroWidthPiece(char === '^');
    if (char === '.') return charPiece(DOT);
    if (char === '[') return charPiece(this.characterClass());
    if (char === '(') return this.group();
    if (char === '\\') {
      if (this.peek() === 'b' || this.peek() === 'B') {
        this.index += 1;
        return zeroWidthPiece(false);
      }
      return charPiece(this.escape(false));
    }
    return charPiece(charBit(char.charCodeAt(0)));
  }

  private group(): Piece {
    let lookahead = false;
    if (this.peek() === '?') {
      const kind = this.source.slice(this.index + 1, this.index + 3);
      if (kind === '<=' || kind === '<!') throw new UnsafePattern('uses a lookbehind ("(?<=" or "(?<!"), which is not allowed');
      lookahead = kind[0] === '=' || kind[0] === '!';
      // Past `(?=`, `(?!`, `(?<name>` or `(?:` (and `(?i:`-style modifiers where the engine has them).
      const end = lookahead ? this.index + 1 : this.source.indexOf(kind[0] === '<' ? '>' : ':', this.index);
      if (end < 0) throw new Error('unreadable group');
      this.index = end + 1;
    }
    const inner = this.disjunction(false);
    this.index += 1; // ')'
    return {
      chars: inner.chars,
      firstChars: inner.firstChars,
      ways: inner.ways,
      zeroWidth: lookahead,
      nullable: lookahead || inner.nullable,
      anchorsStart: false,
      group: true,
      variableCount: false,
      ambiguousBody: inner.ambiguousBody,
    };
  }

  /** The characters a `[...]` class matches; `this.index` is just past the `[`. */
  private characterClass(): bigint {
    const negated = this.peek() === '^';
    if (negated) this.index += 1;
    let set = 0n;
    while (this.index < this.source.length && this.peek() !== ']') {
      const from = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.index += 1;
        const to = this.classAtom();
        set |= from.code !== undefined && to.code !== undefined ? codeRange(from.code, to.code) : from.set | to.set | charBit(45);
      } else {
        set |= from.set;
      }
    }
    this.index += 1; // ']'
    return negated ? complement(set) : set;
  }

  private classAtom(): { set: bigint; code: number | undefined } {
    const char = this.source[this.index++]!;
    if (char !== '\\') return { set: charBit(char.charCodeAt(0)), code: char.charCodeAt(0) };
    if (this.peek() === 'b') {
      this.index += 1;
      return { set: charBit(8), code: 8 };
    }
    const set = this.escape(true);
    const single = set !== NON_ASCII && (set & (set - 1n)) === 0n;
    return { set, code: single ? set.toString(2).length - 1 : undefined };
  }

  /** The characters an escape matches; `this.index` is just past the backslash. */
  private escape(inClass: boolean): bigint {
    const char = this.source[this.index++]!;
    if (/[1-9]/.test(char) && !inClass) throw new UnsafePattern(`uses a back-reference ("\\${char}"), which is not allowed`);
    if (char === 'k' && this.peek() === '<' && !inClass)
      throw new UnsafePattern('uses a named back-reference ("\\k<...>"), which is not allowed');
    const classEscape = CLASS_ESCAPES[char];
    if (classEscape !== undefined) return classEscape;
    if (char === 'c' && /[A-Za-z]/.test(this.peek() ?? '')) return charBit(this.source.charCodeAt(this.index++) % 32);
    const control = CONTROL_ESCAPES[char];
    if (control !== undefined && !/\d/.test(this.peek() ?? '')) return charBit(control);
    const hexLength = char === 'x' ? 2 : char === 'u' ? 4 : 0;
    const hex = this.source.slice(this.index, this.index + hexLength);
    if (hexLength > 0 && new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) {
      this.index += hexLength;
      return charBit(Number.parseInt(hex, 16));
    }
    // Legacy octal escapes and a lone `\c` are rare; assume they may match anything.
    if (/[0-9c]/.test(char)) return ALL;
    return charBit(char.charCodeAt(0));
  }
}

const charPiece = (chars: bigint): Piece => ({
  chars,
  firstChars: chars,
  ways: 1,
  zeroWidth: false,
  nullable: false,
  anchorsStart: false,
  group: false,
  variableCount: false,
  ambiguousBody: undefined,
});
const zeroWidthPiece = (anchorsStart: boolean): Piece => ({
  chars: 0n,
  firstChars: 0n,
  ways: 1,
  zeroWidth: true,
  nullable: true,
  anchorsStart,
  group: false,
  variableCount: false,
  ambiguousBody: undefined,
});

/**
 * The backtracking bound of a sequence: the largest product of `ways` over a chain of pieces that can
 * trade characters (rule 3). At the top level, the count of a last character piece never backtracks:
 * once it matches, the whole pattern has matched (`.*foo.*` costs no more than `.*foo`).
 */
function sequenceBound(pieces: readonly Piece[], topLevel: boolean): number {
  const last = pieces.length - 1;
  const ways = pieces.map((piece, index) => (topLevel && index === last && !piece.zeroWidth && !piece.group ? 1 : piece.ways));
  const chainBound: number[] = [];
  let bound = 1;
  for (let j = 0; j < pieces.length; j += 1) {
    if (ways[j]! <= 1) continue;
    let before = 1;
    for (let i = 0; i < j; i += 1) {
      if (ways[i]! > 1 && canTrade(pieces, i, j)) before = Math.max(before, chainBound[i]!);
    }
    chainBound[j] = ways[j]! * before;
    bound = Math.max(bound, chainBound[j]!);
  }
  return bound;
}

/** Whether pieces `i` < `j` can split some text in more than one way, given what lies between them. */
function canTrade(pieces: readonly Piece[], i: number, j: number): boolean {
  const [left, right] = [pieces[i]!.chars, pieces[j]!.chars];
  let mandatoryBetween = false;
  for (let k = i + 1; k < j; k += 1) {
    const between = pieces[k]!;
    if (between.nullable) continue;
    if ((between.chars & left) === 0n || (between.chars & right) === 0n) return false;
    mandatoryBetween = true;
  }
  return mandatoryBetween || (left & right) !== 0n;
}

/**
 * Checks that `pattern` is safe to run in decisions (see the comment at the top of this file). Answers a
 * message for the rule's author, or `undefined` when the pattern is safe.
 */
export function checkRegexSafety(pattern: string): string | undefined {
  const problem = findRegexProblem(pattern);
  return problem === undefined ? undefined : `The pattern ${problem}`;
}

function findRegexProblem(pattern: string): string | undefined {
  if (typeof pattern !== 'string') return 'must be a string holding a regular expression';
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return `is ${pattern.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed`;
  }
  try {
    new RegExp(pattern);
  } catch (error) {
    return `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
  }
  try {
    const steps = new PatternAnalyzer(pattern).analyze();
    if (steps > MAX_BACKTRACKING_STEPS) {
      return (
        'has quantifiers that can trade characters between them (such as "\\d+\\d+" or ".*a.*b"), so matching a ' +
        `${MATCH_INPUT_LIMIT.toLocaleString('en-US')}-character value could take seconds; anchor it with ^ or make neighbouring parts match different characters`
      );
    }
    return undefined;
  } catch (error) {
    if (error instanceof UnsafePattern) return error.message;
    // The analyzer follows V8's grammar closely but not formally; a pattern it cannot read is not trusted.
    return 'could not be checked for safety; please simplify it';
  }
}
