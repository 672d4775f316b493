/** A JSON value the service sent, shown as text (never as markup): customer data can be anything. */
export function JsonText({ value, block = false }: { value: unknown; block?: boolean }) {
  const text = value === undefined ? 'absent' : JSON.stringify(value, null, block ? 2 : undefined);
  // A long value scrolls inside its box; tabIndex lets a keyboard user scroll it too.
  return block ? (
    <pre className="json" tabIndex={0}>
      {text}
    </pre>
  ) : (
    <code className="json">{text}</code>
  );
}
