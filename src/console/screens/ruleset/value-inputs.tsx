import { useEffect, useState } from 'react';
import { ListKeys } from '../common/row-keys.js';
import { convertItem, ITEM_TYPES, joinInstant, splitInstant, type ItemType, type ValueInput } from '../../rules/value-kinds.js';

/** What every input of one condition's value shares: its label (which condition of which rule) and its problem. */
export interface ValueFieldProps {
  /** `value of condition 1 of rule late-night` */
  label: string;
  id: string;
  disabled?: boolean;
  /** The id of the problem shown next to it, when the service found one. */
  describedBy?: string;
}

const aria = (props: ValueFieldProps, label: string) => ({
  'aria-label': label,
  'aria-invalid': props.describedBy ? true : undefined,
  'aria-describedby': props.describedBy,
  disabled: props.disabled,
});

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** A number input whose value is a number, or null while empty (the service then says a number is needed). */
export function NumberInput({
  value,
  onChange,
  label,
  min,
  disabled,
  describedBy,
}: {
  value: unknown;
  onChange(value: number | null): void;
  label: string;
  min?: number;
  disabled?: boolean;
  describedBy?: string;
}) {
  return (
    <input
      type="number"
      step="any"
      min={min}
      className="number"
      value={typeof value === 'number' ? value : ''}
      onChange={(event) =>
        onChange(event.target.value === '' || Number.isNaN(event.target.valueAsNumber) ? null : event.target.valueAsNumber)
      }
      aria-label={label}
      aria-invalid={describedBy ? true : undefined}
      aria-describedby={describedBy}
      disabled={disabled}
    />
  );
}

function ItemInput({
  type,
  value,
  onChange,
  label,
  field,
}: {
  type: ItemType;
  value: unknown;
  onChange(value: unknown): void;
  label: string;
  field: ValueFieldProps;
}) {
  if (type === 'number')
    return <NumberInput value={value} onChange={onChange} label={label} disabled={field.disabled} describedBy={field.describedBy} />;
  if (type === 'boolean') {
    return (
      <select value={String(value === true)} onChange={(event) => onChange(event.target.value === 'true')} {...aria(field, label)}>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  return (
    <input
      type="text"
      value={typeof value === 'string' ? value : ''}
      onChange={(event) => onChange(event.target.value)}
      {...aria(field, label)}
    />
  );
}

function TypeChoice({ type, onChange, field }: { type: ItemType; onChange(type: ItemType): void; field: ValueFieldProps }) {
  return (
    <select
      value={type}
      onChange={(event) => onChange(event.target.value as ItemType)}
      aria-label={`Type of the ${field.label}`}
      disabled={field.disabled}
    >
      {ITEM_TYPES.map((item) => (
        <option key={item} value={item}>
          {item === 'boolean' ? 'true / false' : item}
        </option>
      ))}
    </select>
  );
}

/**
 * The input of a condition's value, as `valueInputFor` chose it: numbers as numbers, `between` as two
 * numbers, times as a date-time and an offset, lists item by item in the items' type, and anything
 * else as JSON (so no value the JSON holds is lost).
 */
export function ValueInputs({
  input,
  value,
  onChange,
  field,
}: {
  input: ValueInput;
  value: unknown;
  onChange(value: unknown): void;
  field: ValueFieldProps;
}) {
  const label = capitalised(field.label);
  switch (input.kind) {
    case 'number':
    case 'days':
      return (
        <span className="value-input" id={field.id}>
          <NumberInput
            value={value}
            onChange={onChange}
            label={label}
            min={input.kind === 'days' ? 1 : undefined}
            disabled={field.disabled}
            describedBy={field.describedBy}
          />
          {input.kind === 'days' && <span aria-hidden="true">days</span>}
        </span>
      );
    case 'range': {
      const [lo, hi] = Array.isArray(value) ? (value as unknown[]) : [null, null];
      return (
        <span className="value-input" id={field.id}>
          <NumberInput
            value={lo}
            onChange={(next) => onChange([next, hi ?? null])}
            label={`Lowest ${field.label}`}
            disabled={field.disabled}
            describedBy={field.describedBy}
          />
          <span aria-hidden="true">and</span>
          <NumberInput
            value={hi}
            onChange={(next) => onChange([lo ?? null, next])}
            label={`Highest ${field.label}`}
            disabled={field.disabled}
            describedBy={field.describedBy}
          />
        </span>
      );
    }
    case 'instant':
      return <InstantInput value={value} onChange={onChange} field={field} />;
    case 'pattern':
      return (
        <span className="value-input" id={field.id}>
          <input
            type="text"
            className="pattern"
            value={String(value ?? '')}
            onChange={(event) => onChange(event.target.value)}
            placeholder="regular expression"
            {...aria(field, `${label} (a regular expression)`)}
          />
        </span>
      );
    case 'item':
      return (
        <span className="value-input" id={field.id}>
          {input.choosable && <TypeChoice type={input.itemType} onChange={(type) => onChange(convertItem(value, type))} field={field} />}
          <ItemInput type={input.itemType} value={value} onChange={onChange} label={label} field={field} />
        </span>
      );
    case 'list':
      return (
        <ListInput
          items={Array.isArray(value) ? (value as unknown[]) : []}
          type={input.itemType}
          choosable={input.choosable}
          onChange={onChange}
          field={field}
        />
      );
    case 'json':
      return <JsonValueInput value={value} onChange={onChange} field={field} />;
  }
}

function ListInput({
  items,
  type,
  choosable,
  onChange,
  field,
}: {
  items: unknown[];
  type: ItemType;
  choosable: boolean;
  onChange(value: unknown[]): void;
  field: ValueFieldProps;
}) {
  const fallback = type === 'number' ? null : type === 'boolean' ? true : '';
  const [listKeys] = useState(() => new ListKeys());
  const keys = listKeys.of(items.length);
  return (
    <fieldset className="value-input list" id={field.id} aria-label={capitalised(field.label)}>
      {choosable && <TypeChoice type={type} onChange={(next) => onChange(items.map((item) => convertItem(item, next)))} field={field} />}
      {items.map((item, index) => (
        <span key={keys[index]} className="list-item">
          <ItemInput
            type={type}
            value={item}
            onChange={(next) => onChange(items.map((existing, position) => (position === index ? next : existing)))}
            label={`Item ${index + 1} of the ${field.label}`}
            field={field}
          />
          <button
            type="button"
            className="secondary small"
            aria-label={`Remove item ${index + 1} of the ${field.label}`}
            onClick={() => {
              listKeys.remove(index);
              onChange(items.filter((_, position) => position !== index));
            }}
            disabled={field.disabled}
          >
            ×
          </button>
        </span>
      ))}
      <button
        type="button"
        className="secondary small"
        aria-label={`Add an item to the ${field.label}`}
        onClick={() => onChange([...items, fallback])}
        disabled={field.disabled}
      >
        + item
      </button>
    </fieldset>
  );
}

function InstantInput({ value, onChange, field }: { value: unknown; onChange(value: unknown): void; field: ValueFieldProps }) {
  const parts = splitInstant(value);
  const [offset, setOffset] = useState(parts?.offset ?? '+08:00');
  // An offset that comes with the value (from the JSON view, another rule) replaces the one typed.
  const [valueOffset, setValueOffset] = useState(parts?.offset);
  if (parts?.offset !== valueOffset) {
    setValueOffset(parts?.offset);
    if (parts) setOffset(parts.offset);
  }
  if (!parts) {
    // A time in another ISO shape (fractions of seconds, no offset): kept as typed; the service says whether it is valid.
    return (
      <span className="value-input" id={field.id}>
        <input
          type="text"
          value={String(value ?? '')}
          onChange={(event) => onChange(event.target.value)}
          {...aria(field, `${capitalised(field.label)} (an ISO date-time with offset)`)}
        />
      </span>
    );
  }
  return (
    <span className="value-input" id={field.id}>
      <input
        type="datetime-local"
        step="1"
        value={parts.local}
        onChange={(event) => onChange(joinInstant(event.target.value, offset))}
        {...aria(field, `Date and time of the ${field.label}`)}
      />
      <input
        type="text"
        className="offset"
        value={offset}
        pattern="Z|[+\-]\d{2}:\d{2}"
        onChange={(event) => {
          setOffset(event.target.value);
          if (parts.local) onChange(joinInstant(parts.local, event.target.value));
        }}
        {...aria(field, `UTC offset of the ${field.label} (Z or ±hh:mm)`)}
      />
    </span>
  );
}

/** A value typed as JSON; text that is not JSON yet is kept in the input and not applied. */
function JsonValueInput({ value, onChange, field }: { value: unknown; onChange(value: unknown): void; field: ValueFieldProps }) {
  const [text, setText] = useState(() => JSON.stringify(value) ?? '');
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    setText((current) => {
      try {
        if (JSON.stringify(JSON.parse(current)) === JSON.stringify(value)) return current;
      } catch {
        // an invalid text the person is typing is replaced only by a value changed elsewhere
      }
      return JSON.stringify(value) ?? '';
    });
  }, [value]);
  return (
    <span className="value-input" id={field.id}>
      <input
        type="text"
        className="json"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          try {
            onChange(JSON.parse(event.target.value));
            setInvalid(false);
          } catch {
            setInvalid(true);
          }
        }}
        {...aria(field, `${capitalised(field.label)} (JSON)`)}
      />
      {invalid && <span className="problem">not JSON yet: the condition keeps its last value</span>}
    </span>
  );
}
