import { keysByName } from '../common/row-keys.js';
import { diffView, type Line } from './line-diff-view.js';

const identity = (line: Line) => (line.kind === 'folded' ? `folded ${line.count}` : `${line.kind} ${line.text}`);

/**
 * The line diff of one rule's or test's canonical JSON (the `diff` package, loaded with this chunk
 * when a comparison first shows a change). Removed lines are <del>, added ones <ins>, each also
 * marked "-" / "+" so the difference does not rest on colour.
 */
export default function LineDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const lines = diffView(before, after);
  const keys = keysByName(lines.map(identity));
  // A named region (a <pre> has no role that takes a name), focusable because it scrolls.
  return (
    <section className="line-diff-box" aria-label={label} tabIndex={0}>
      <pre className="line-diff">
        {lines.map((line, index) => {
          const key = keys[index];
          if (line.kind === 'added') return <ins key={key}>{`+ ${line.text}\n`}</ins>;
          if (line.kind === 'removed') return <del key={key}>{`- ${line.text}\n`}</del>;
          if (line.kind === 'folded') return <span key={key} className="muted">{`  … ${line.count} unchanged lines\n`}</span>;
          return <span key={key}>{`  ${line.text}\n`}</span>;
        })}
      </pre>
    </section>
  );
}
