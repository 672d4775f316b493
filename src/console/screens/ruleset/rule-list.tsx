import type { Rule } from '../../../engine/rule-schema.js';
import { keysByName } from '../common/row-keys.js';
import type { PlacedProblem } from './rule-form.js';

function eventSummary(rule: Rule): string {
  const params = (rule.event?.params ?? {}) as Record<string, unknown>;
  switch (rule.event?.type) {
    case 'tag':
      return `tag ${String(params.tag || '?')}`;
    case 'product':
      return `product ${String(params.product || '?')}`;
    case 'alert':
      return `alert ${String(params.code || '?')} (${String(params.severity ?? '?')})`;
    case 'score':
      return `${String(params.points ?? '?')} points`;
    default:
      return String(rule.event?.type ?? 'no event');
  }
}

/** The draft's rules in order, each with what it yields, its priority and its problems; select, move, duplicate, delete, add. */
export function RuleList({
  rules,
  problems,
  selected,
  disabled,
  onSelect,
  onMove,
  onDuplicate,
  onDelete,
  onAdd,
}: {
  rules: Rule[];
  problems: PlacedProblem[];
  selected: number;
  disabled: boolean;
  onSelect(index: number): void;
  onMove(index: number, by: -1 | 1): void;
  onDuplicate(index: number): void;
  onDelete(index: number): void;
  onAdd(): void;
}) {
  const names = rules.map((rule, index) => String(rule.name ?? `#${index + 1}`));
  const keys = keysByName(names);
  return (
    <section aria-labelledby="rules-heading" className="rule-list">
      <h3 id="rules-heading">Rules ({rules.length})</h3>
      <ol>
        {rules.map((rule, index) => {
          const name = names[index]!;
          const count = problems.filter(({ place }) => place.area !== 'draft' && place.area !== 'test' && place.rule === index).length;
          return (
            <li key={keys[index]} className={index === selected ? 'selected' : undefined}>
              <button
                type="button"
                className="link rule-name"
                aria-current={index === selected ? 'true' : undefined}
                onClick={() => onSelect(index)}
              >
                {name}
              </button>
              <span className="muted small">
                {eventSummary(rule)}
                {rule.priority !== undefined && ` · priority ${rule.priority}`}
              </span>
              {count > 0 && <span className="problem small">{count === 1 ? '1 problem' : `${count} problems`}</span>}
              <span className="row-actions">
                <button
                  type="button"
                  className="secondary small"
                  aria-label={`Move rule ${name} up`}
                  disabled={disabled || index === 0}
                  onClick={() => onMove(index, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="secondary small"
                  aria-label={`Move rule ${name} down`}
                  disabled={disabled || index === rules.length - 1}
                  onClick={() => onMove(index, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="secondary small"
                  aria-label={`Duplicate rule ${name}`}
                  disabled={disabled}
                  onClick={() => onDuplicate(index)}
                >
                  Duplicate
                </button>
                <button
                  type="button"
                  className="secondary small danger-text"
                  aria-label={`Delete rule ${name}`}
                  disabled={disabled}
                  onClick={() => onDelete(index)}
                >
                  Delete
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={onAdd} disabled={disabled}>
        Add a rule
      </button>
    </section>
  );
}
