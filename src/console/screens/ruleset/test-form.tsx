import { useEffect, useRef, type ReactNode } from 'react';
import { OUTCOMES } from '../../../engine/rule-schema.js';
import type { RulesetTest } from '../../../features/rulesets/draft-schema.js';
import type { Problem } from '../../rules/draft-problems.js';
import { joinInstant, splitInstant } from '../../rules/value-kinds.js';
import { JsonObjectArea, NameListInput } from './text-fields.js';
import { NumberInput } from './value-inputs.js';

/** A test as the form edits it: the schema's type is too deep to spread and rebuild field by field. */
interface TestCase {
  name: string;
  profile: Record<string, unknown>;
  event: Record<string, unknown>;
  history?: { applicationsLast24h?: number };
  expect: { tags?: string[]; products?: string[]; alerts?: string[]; outcome?: string };
}

const KNOWN_EVENT_FIELDS = ['type', 'at', 'amount', 'location', 'deviceId', 'channel'];
const EXPECTED_SETS = [
  ['alerts', 'alert codes'],
  ['tags', 'tags'],
  ['products', 'products'],
] as const;

/** `base` with `key` set, or without it when `value` is undefined (an emptied optional field). */
function withKey<T extends object>(base: T, key: string, value: unknown): T {
  const next = { ...base } as Record<string, unknown>;
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next as T;
}

/** Edit a test: its name, the profile as JSON, the event field by field, what the log would tell, and what it expects. */
export function TestForm({
  test: original,
  index,
  problems,
  kept,
  onChange,
  onInvalid,
  onClose,
}: {
  test: RulesetTest;
  index: number;
  problems: Problem[];
  kept: Record<string, { text: string }>;
  onChange(test: RulesetTest): void;
  onInvalid(field: string, entry: { text: string; message: string } | undefined): void;
  onClose(): void;
}) {
  const test = original as unknown as TestCase;
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened from a row (or a problem's "Show") far above: take the person, and their keyboard focus, to it.
  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, []);
  const of = `of test ${test.name}`;
  const change = (next: TestCase) => onChange(next as unknown as RulesetTest);
  const event = test.event ?? {};
  const setEvent = (key: string, value: unknown) => change({ ...test, event: withKey(event, key, value) });
  const location = (event.location ?? {}) as { lat?: number | null; lon?: number | null };
  const setLocation = (key: 'lat' | 'lon', value: number | null) => {
    const next = { ...location, [key]: value };
    setEvent('location', next.lat == null && next.lon == null ? undefined : next);
  };
  const at = splitInstant(event.at ?? '') ?? { local: '', offset: '+08:00' };
  const others = Object.fromEntries(Object.entries(event).filter(([key]) => !KNOWN_EVENT_FIELDS.includes(key)));
  const problemsOf = (field: string) => problems.filter((problem) => problem.path.split('/')[3] === field);
  const id = (part: string) => `test-${index}-${part}`;
  const text = (key: string, label: string) => (
    <Labelled visible={label}>
      <input
        type="text"
        value={typeof event[key] === 'string' ? (event[key] as string) : ''}
        onChange={(e) => setEvent(key, e.target.value === '' ? undefined : e.target.value)}
        aria-label={`${label} ${of}`}
      />
    </Labelled>
  );
  return (
    <section aria-labelledby={`test-${index}-title`} className="test-form">
      <h3 id={`test-${index}-title`} ref={heading} tabIndex={-1}>
        Edit test {test.name}
      </h3>
      <Labelled visible="Name" problems={problemsOf('name')}>
        <input
          id={id('name')}
          type="text"
          className="wide"
          value={test.name}
          onChange={(e) => change({ ...test, name: e.target.value })}
          aria-label={`Name ${of}`}
        />
      </Labelled>

      <h4>Profile</h4>
      <Labelled visible="Profile (JSON, as PUT /v1/profiles takes it)" problems={problemsOf('profile')}>
        <JsonObjectArea
          id={id('profile')}
          rows={12}
          className="json-area"
          value={test.profile ?? {}}
          kept={kept[`test:${index}:profile`]?.text}
          onChange={(profile) => change({ ...test, profile })}
          onUnapplied={(entry) => onInvalid(`test:${index}:profile`, entry)}
          problemId={id('profile-invalid')}
          aria-label={`Profile ${of} (JSON)`}
        />
      </Labelled>

      <h4>Event</h4>
      <div className="form-grid">
        {text('type', 'Event type')}
        <Labelled visible="Event time (empty: now)">
          <span className="value-input">
            <input
              type="datetime-local"
              step="1"
              value={at.local}
              onChange={(e) => setEvent('at', joinInstant(e.target.value, at.offset) || undefined)}
              aria-label={`Event time ${of}`}
            />
            <input
              type="text"
              className="offset"
              value={at.offset}
              onChange={(e) => at.local && setEvent('at', joinInstant(at.local, e.target.value))}
              aria-label={`UTC offset of the event time ${of}`}
            />
          </span>
        </Labelled>
        <Labelled visible="Amount">
          <NumberInput value={event.amount} onChange={(value) => setEvent('amount', value ?? undefined)} label={`Amount ${of}`} min={0} />
        </Labelled>
        <Labelled visible="Location (lat, lon)">
          <span className="value-input">
            <NumberInput value={location.lat} onChange={(value) => setLocation('lat', value)} label={`Latitude of the event ${of}`} />
            <NumberInput value={location.lon} onChange={(value) => setLocation('lon', value)} label={`Longitude of the event ${of}`} />
          </span>
        </Labelled>
        {text('deviceId', 'Device id')}
        {text('channel', 'Channel')}
        <Labelled visible="Applications logged in the 24 h before" problems={problemsOf('history')}>
          <NumberInput
            value={test.history?.applicationsLast24h}
            onChange={(value) => change(withKey(test, 'history', value === null ? undefined : { applicationsLast24h: value }))}
            label={`Applications in the last 24 hours ${of}`}
            min={0}
          />
        </Labelled>
      </div>
      <Labelled visible="Other event fields (JSON object)">
        <JsonObjectArea
          id={id('event-other')}
          rows={2}
          className="json-area"
          value={others}
          kept={kept[`test:${index}:event`]?.text}
          onChange={(extra) =>
            change({
              ...test,
              event: { ...Object.fromEntries(Object.entries(event).filter(([key]) => KNOWN_EVENT_FIELDS.includes(key))), ...extra },
            })
          }
          onUnapplied={(entry) => onInvalid(`test:${index}:event`, entry)}
          problemId={id('event-other-invalid')}
          aria-label={`Other event fields ${of} (JSON)`}
        />
      </Labelled>
      <ProblemLine problems={problemsOf('event')} />

      <h4>Expected</h4>
      <p className="hint">Checked sets must match exactly (an empty checked set expects none); unchecked ones are not compared.</p>
      <div className="form-grid">
        {EXPECTED_SETS.map(([key, words]) => {
          const expected = test.expect?.[key];
          return (
            <fieldset key={key} className="expected">
              <legend>Expected {words}</legend>
              <label>
                <input
                  type="checkbox"
                  checked={expected !== undefined}
                  onChange={(e) => change({ ...test, expect: withKey(test.expect ?? {}, key, e.target.checked ? [] : undefined) })}
                  aria-label={`Check the ${words} ${of}`}
                />{' '}
                <span aria-hidden="true">check</span>
              </label>{' '}
              <NameListInput
                value={expected ?? []}
                disabled={expected === undefined}
                onChange={(names) => change({ ...test, expect: { ...test.expect, [key]: names } })}
                aria-label={`Expected ${words} ${of} (separated by commas)`}
              />
            </fieldset>
          );
        })}
        <Labelled visible="Expected outcome">
          <select
            value={test.expect?.outcome ?? ''}
            onChange={(e) => change({ ...test, expect: withKey(test.expect ?? {}, 'outcome', e.target.value || undefined) })}
            aria-label={`Expected outcome ${of}`}
          >
            <option value="">not checked</option>
            {OUTCOMES.map((outcome) => (
              <option key={outcome} value={outcome}>
                {outcome}
              </option>
            ))}
          </select>
        </Labelled>
      </div>
      <ProblemLine problems={problemsOf('expect')} />
      <p>
        <button type="button" className="secondary" onClick={onClose}>
          Close the test
        </button>
      </p>
    </section>
  );
}

function Labelled({ visible, problems = [], children }: { visible: string; problems?: Problem[]; children: ReactNode }) {
  return (
    <div className="field">
      <span className="field-label" aria-hidden="true">
        {visible}
      </span>
      {children}
      <ProblemLine problems={problems} />
    </div>
  );
}

function ProblemLine({ problems }: { problems: Problem[] }) {
  if (problems.length === 0) return null;
  return (
    <span className="problem">
      {problems.map((problem) => `${problem.path.split('/').slice(3).join('/')}: ${problem.message}`).join('; ')}
    </span>
  );
}
