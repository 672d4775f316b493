import { useState, type ChangeEvent, type FormEvent } from 'react';
import type { ListChangeResult } from '../../api/types.js';
import { ErrorMessage } from '../../components/status.js';
import { useSession } from '../../session/session.js';
import { itemsOfText } from './list-text.js';

/** Adds one item, or many pasted or read from a text file (one per line), to a list. */
export function AddItems({ listId, onAdded }: { listId: string; onAdded: () => void }) {
  const { api } = useSession();
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (file) setText(await file.text());
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const items = itemsOfText(text);
    if (items.length === 0) return;
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const result = await api.post<ListChangeResult>(`/v1/lists/${encodeURIComponent(listId)}/items`, { items });
      setDone(
        `${result.changed.toLocaleString('en-US')} of ${items.length.toLocaleString('en-US')} items added (the others were on the list already); the list holds ${result.size.toLocaleString('en-US')}.`,
      );
      setText('');
      onAdded();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  const count = itemsOfText(text).length;
  return (
    <form onSubmit={submit} aria-labelledby="add-title">
      <h2 id="add-title">Add items to {listId}</h2>
      <div className="field">
        <label htmlFor="add-items">Items to add to {listId}, one per line</label>
        <textarea id="add-items" rows={4} value={text} onChange={(event) => setText(event.target.value)} />
      </div>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="add-file">Or read them from a text file</label>
          <input id="add-file" type="file" accept=".txt,.csv,text/plain" onChange={(event) => void readFile(event)} />
        </div>
        <button type="submit" disabled={busy || count === 0}>
          {count > 1 ? `Add ${count.toLocaleString('en-US')} items` : 'Add item'}
        </button>
      </div>
      {done && <p role="status">{done}</p>}
      <ErrorMessage error={error} />
    </form>
  );
}
