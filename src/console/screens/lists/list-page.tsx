import { useState, type FormEvent } from 'react';
import type { ListDetail } from '../../api/types.js';
import { query } from '../../api/client.js';
import { ErrorMessage, Loading } from '../../components/status.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { formatTime, plural } from '../common/format.js';
import { Pager, usePages } from '../common/pages.js';
import { Table } from '../common/table.js';
import { AddItems } from './add-items.js';

const PAGE_SIZE = 50;

/** `#/lists/:id`: a list's items (sorted, searchable, paged); for rules:publish, add, upload and remove. */
export function ListPage({ params }: { params: Record<string, string> }) {
  const { api, can } = useSession();
  const id = params.id!;
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [removeError, setRemoveError] = useState<unknown>();
  const pages = usePages(
    (cursor) => api.get<ListDetail>(`/v1/lists/${encodeURIComponent(id)}${query({ limit: PAGE_SIZE, q: q || undefined, cursor })}`),
    [api, id, q],
  );
  const list = pages.state.data as ListDetail | undefined;
  const editable = can('rules:publish');

  function find(event: FormEvent) {
    event.preventDefault();
    setQ(search.trim());
  }

  async function remove(item: string) {
    setRemoveError(undefined);
    try {
      await api.delete(`/v1/lists/${encodeURIComponent(id)}/items/${encodeURIComponent(item)}`);
      pages.state.reload();
    } catch (error) {
      setRemoveError(error);
    }
  }

  return (
    <section aria-labelledby="list-title">
      <p>
        <a href={href('/lists')}>← Lists</a>
      </p>
      <h1 id="list-title">List {id}</h1>
      {list && (
        <p>
          {list.description} — <strong>{plural(list.size, 'item')}</strong>, revision {list.revision}, last changed{' '}
          {formatTime(list.updatedAt)} by {list.updatedBy.name}
        </p>
      )}
      {editable && <AddItems listId={id} onAdded={pages.state.reload} />}
      <form onSubmit={find} aria-labelledby="search-title">
        <h2 id="search-title">Items</h2>
        <div className="toolbar">
          <div className="field">
            <label htmlFor="list-search">Items containing</label>
            <input id="list-search" value={search} onChange={(event) => setSearch(event.target.value)} />
          </div>
          <button type="submit">Search</button>
        </div>
      </form>
      <ErrorMessage error={removeError} />
      {pages.state.error ? (
        <ErrorMessage error={pages.state.error} />
      ) : !list ? (
        <Loading what="items" />
      ) : list.items.length === 0 ? (
        <p>{q ? `No item contains “${q}”.` : 'The list is empty.'}</p>
      ) : (
        <>
          <p role="status">
            {q ? `${plural(list.matching, 'item contains', 'items contain')} “${q}”.` : `${plural(list.matching, 'item')}.`}
          </p>
          <Table labelledBy="search-title" columns={editable ? ['Item', 'Remove'] : ['Item']}>
            {list.items.map((item) => (
              <tr key={item}>
                <th scope="row">
                  <code>{item}</code>
                </th>
                {editable && (
                  <td>
                    <button type="button" className="secondary" aria-label={`Remove ${item} from ${id}`} onClick={() => void remove(item)}>
                      Remove
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </Table>
        </>
      )}
      <Pager pages={pages} what="items" />
    </section>
  );
}
