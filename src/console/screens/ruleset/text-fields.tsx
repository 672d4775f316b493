import { useState, type InputHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { canonicalText } from '../../rules/draft-edits.js';
import { formatJson, lineColumn, parseJson } from '../../rules/json-text.js';

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Text a person types for a structured value (JSON, a list of names): kept as typed while it stays the
 * same value (so typing is never reformatted), replaced when the value changes elsewhere, and reported
 * (not applied) while it does not parse.
 */
function useTypedText<T>(value: T, format: (value: T) => string, parse: (text: string) => Parsed<T>, kept?: string) {
  const [text, setText] = useState(() => kept ?? format(value));
  // Only a change of the value from elsewhere replaces the text (adjusted while rendering, as React advises).
  const canonical = canonicalText(value);
  const [shown, setShown] = useState(canonical);
  if (shown !== canonical) {
    setShown(canonical);
    const parsed = parse(text);
    if (!parsed.ok || canonicalText(parsed.value) !== canonical) setText(format(value));
  }
  return [text, setText] as const;
}

function parseObject(text: string): Parsed<Record<string, unknown>> {
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const { line, column } = lineColumn(text, parsed.at);
    return { ok: false, message: `not valid JSON at line ${line}, column ${column}: ${parsed.message}` };
  }
  if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value))
    return { ok: false, message: 'must be a JSON object { … }' };
  return { ok: true, value: parsed.value as Record<string, unknown> };
}

/**
 * A JSON object typed in a text area (a test's profile). Invalid text stays as typed and is reported to
 * `onUnapplied` (the draft is then not saved, so nothing typed is lost or half-applied).
 */
export function JsonObjectArea({
  value,
  onChange,
  onUnapplied,
  kept,
  problemId,
  ...rest
}: {
  value: Record<string, unknown>;
  onChange(value: Record<string, unknown>): void;
  onUnapplied(entry: { text: string; message: string } | undefined): void;
  kept?: string;
  problemId: string;
} & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange' | 'onInvalid'>) {
  const [text, setText] = useTypedText(value, (item) => formatJson(item), parseObject, kept);
  const parsed = parseObject(text);
  return (
    <>
      <textarea
        {...rest}
        value={text}
        spellCheck={false}
        aria-invalid={!parsed.ok || rest['aria-invalid'] ? true : undefined}
        aria-describedby={[!parsed.ok && problemId, rest['aria-describedby']].filter(Boolean).join(' ') || undefined}
        onChange={(event) => {
          const next = event.target.value;
          setText(next);
          const result = parseObject(next);
          if (result.ok) {
            onUnapplied(undefined);
            onChange(result.value);
          } else onUnapplied({ text: next, message: result.message });
        }}
      />
      {!parsed.ok && (
        <span className="problem" id={problemId}>
          {parsed.message}: kept as typed, not applied
        </span>
      )}
    </>
  );
}

const parseNames = (text: string): Parsed<string[]> => ({ ok: true, value: [...new Set(text.split(/[\s,]+/).filter(Boolean))] });

/** A set of names (tags, products, alert codes) typed separated by commas or spaces. */
export function NameListInput({
  value,
  onChange,
  ...rest
}: { value: string[]; onChange(value: string[]): void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const [text, setText] = useTypedText(value, (names) => names.join(', '), parseNames);
  return (
    <input
      type="text"
      {...rest}
      value={text}
      onChange={(event) => {
        setText(event.target.value);
        const parsed = parseNames(event.target.value);
        if (parsed.ok) onChange(parsed.value);
      }}
    />
  );
}
