/**
 * The JSON view's text: the draft printed for people (short lists of scalars on one line, `"value": [0, 5]`),
 * and a parser that knows where each value sits in the text, so that the service's JSON pointers
 * (`/rules/2/conditions/all/0/value`) become marks at the right place and invalid JSON is reported with
 * its line and column.
 *
 * Pure: no React or DOM, so it is unit-tested in Node.
 */

const LINE_WIDTH = 100;

const isScalar = (value: unknown) => value === null || typeof value !== 'object';

/** JSON.stringify with two-space indents, but arrays of scalars that fit on a line stay on it. */
export function formatJson(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => (item === undefined ? 'null' : formatJson(item, `${indent}  `)));
    if (value.every(isScalar)) {
      const inline = `[${items.join(', ')}]`;
      if (indent.length + inline.length <= LINE_WIDTH) return inline;
    }
    return `[\n${items.map((item) => `${indent}  ${item}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([key, item]) => `${indent}  ${JSON.stringify(key)}: ${formatJson(item, `${indent}  `)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Where a value sits in the text: [from, to), and for an object member where its key starts. */
export interface Span {
  from: number;
  to: number;
  keyFrom?: number;
}

export type ParsedJson = { ok: true; value: unknown; spans: Map<string, Span> } | { ok: false; message: string; at: number };

export const escapeSegment = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
export const unescapeSegment = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERALS = ['true', 'false', 'null'] as const;

/** Parses JSON text, recording the span of every value by its JSON pointer; a syntax error comes with its position. */
export function parseJson(text: string): ParsedJson {
  const spans = new Map<string, Span>();
  let at = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(at >= text.length ? `${what}, but the text ends` : `${what}, found ${JSON.stringify(text[at])}`, at);
  };
  const skip = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at += 1;
  };
  const stringToken = (): string => {
    const start = at;
    at += 1;
    while (at < text.length && text[at] !== '"') {
      if (text.charCodeAt(at) < 0x20) fail('A control character must be escaped in a string');
      at += text[at] === '\\' ? 2 : 1;
    }
    if (at >= text.length) {
      at = start;
      throw new JsonSyntaxError('A string is not closed', start);
    }
    at += 1;
    try {
      return JSON.parse(text.slice(start, at)) as string;
    } catch {
      throw new JsonSyntaxError('A string holds an invalid escape', start);
    }
  };
  /** The members of an object or the items of an array, from its opening bracket past its closing one. */
  const sequence = (close: string, what: string, member: (index: number) => void): void => {
    at += 1;
    skip();
    if (text[at] === close) {
      at += 1;
      return;
    }
    for (let index = 0; ; index += 1) {
      member(index);
      skip();
      if (text[at] === close) {
        at += 1;
        return;
      }
      if (text[at] !== ',') fail(`Expected "," or "${close}" after ${what}`);
      at += 1;
    }
  };
  const value = (pointer: string, keyFrom?: number): void => {
    skip();
    const from = at;
    const char = text[at];
    if (char === '{') {
      sequence('}', 'a property', () => {
        skip();
        if (text[at] !== '"') fail('Expected a property name in double quotes');
        const memberFrom = at;
        const key = stringToken();
        skip();
        if (text[at] !== ':') fail('Expected ":" after a property name');
        at += 1;
        value(`${pointer}/${escapeSegment(key)}`, memberFrom);
      });
    } else if (char === '[') {
      sequence(']', 'an item', (index) => value(`${pointer}/${index}`));
    } else if (char === '"') {
      stringToken();
    } else {
      NUMBER.lastIndex = at;
      const literal = LITERALS.find((word) => text.startsWith(word, at));
      if (literal) at += literal.length;
      else if (NUMBER.test(text)) at = NUMBER.lastIndex;
      else fail('Expected a value');
    }
    spans.set(pointer, { from, to: at, ...(keyFrom !== undefined && { keyFrom }) });
  };
  try {
    value('');
    skip();
    if (at < text.length) fail('Expected the end of the text after the value');
    return { ok: true, value: JSON.parse(text) as unknown, spans };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, message: error.message, at: error.at };
    return { ok: false, message: error instanceof Error ? error.message : String(error), at: 0 };
  }
}

/**
 * The text a pointer names: the whole member (key and value) for an object property, the value for an
 * array item; a pointer to something absent (a missing required property) names its nearest ancestor.
 */
export function spanOfPointer(spans: Map<string, Span>, pointer: string): { from: number; to: number; exact: boolean } | undefined {
  let candidate = pointer;
  for (;;) {
    const span = spans.get(candidate);
    if (span) return { from: span.keyFrom ?? span.from, to: span.to, exact: candidate === pointer };
    if (candidate === '') return undefined;
    candidate = candidate.slice(0, candidate.lastIndexOf('/'));
  }
}

/** 1-based line and column of a position, as editors show them. */
export function lineColumn(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}
