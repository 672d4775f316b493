import { diffView } from './line-diff-view.js';

/**
 * The line diff of one rule's or test's canonical JSON (the `diff` package, loaded with this chunk
 * when a comparison first shows a change). Removed lines are <del>, added ones <ins>, each also
 * marked "-" / "+" so the difference does not rest on colour.
 */
export default function LineDiff({ before, after, label }: { before: string; after: string; label: string }) {
  return (
    <pre className="line-diff" aria-label={label} tabIndex={0}>
      {diffView(before, after).map((line, index) => {
        if (line.kind === 'added') return <ins key={index}>{`+ ${line.text}\n`}</ins>;
        if (line.kind === 'removed') return <del key={index}>{`- ${line.text}\n`}</del>;
        if (line.kind === 'folded') return <span key={index} className="muted">{`  … ${line.count} unchanged lines\n`}</span>;
        return <span key={index}>{`  ${line.text}\n`}</span>;
      })}
    </pre>
  );
}
