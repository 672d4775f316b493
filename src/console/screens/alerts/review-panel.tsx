import { useState, type FormEvent } from 'react';
import type { Review } from '../../api/types.js';
import { ErrorMessage, Loaded } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { formatTime } from '../common/format.js';
import { Table } from '../common/table.js';

const LABELS = ['fraud', 'legitimate', 'unsure'] as const;

/** "Label this alert": the decision's reviews (append-only, newest first) and a form to add one. */
export function ReviewPanel({ decisionId }: { decisionId: string }) {
  const { api } = useSession();
  const path = `/v1/decisions/${encodeURIComponent(decisionId)}/reviews`;
  const state = useAsync(() => api.get<{ items: Review[] }>(path), [api, path]);
  const [label, setLabel] = useState<(typeof LABELS)[number] | ''>('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<Review | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setSaved(undefined);
    setBusy(true);
    try {
      setSaved(await api.post<Review>(path, { label, note }));
      setNote('');
      state.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="review-title" className="panel">
      <h2 id="review-title">Label this alert</h2>
      <form onSubmit={submit} aria-label={`Label decision ${decisionId}`}>
        <fieldset>
          <legend>Label</legend>
          {LABELS.map((name) => (
            <label key={name} className="choice">
              <input type="radio" name="review-label" value={name} checked={label === name} onChange={() => setLabel(name)} required />{' '}
              {name}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="review-note">Note</label>
          <textarea id="review-note" value={note} onChange={(event) => setNote(event.target.value)} maxLength={2000} rows={3} />
        </div>
        <button type="submit" disabled={busy || label === ''}>
          Save label
        </button>
      </form>
      <ErrorMessage error={error} />
      {saved && (
        <p role="status" className="ok">
          Labelled {saved.label}.
        </p>
      )}
      <h3 id="review-history-title">Reviews</h3>
      <Loaded state={state} what="the reviews">
        {({ items }) =>
          items.length === 0 ? (
            <p>Not reviewed yet.</p>
          ) : (
            <Table labelledBy="review-history-title" columns={['Label', 'Note', 'By', 'When']}>
              {items.map((review) => (
                <tr key={review.reviewId}>
                  <th scope="row">{review.label}</th>
                  <td className="message">{review.note || '—'}</td>
                  <td>{review.reviewedBy.name}</td>
                  <td>{formatTime(review.createdAt)}</td>
                </tr>
              ))}
            </Table>
          )
        }
      </Loaded>
    </section>
  );
}
