import type { ListSummary, Page } from '../../api/types.js';
import { Loaded } from '../../components/status.js';
import { href } from '../../router.js';
import { useSession } from '../../session/session.js';
import { useAsync } from '../../use-async.js';
import { formatTime } from '../common/format.js';
import { Table } from '../common/table.js';

/** `#/lists`: every block and allow list, its size and when it last changed. */
export function ListsScreen() {
  const { api, can } = useSession();
  const state = useAsync(() => api.get<Page<ListSummary>>('/v1/lists?limit=500'), [api]);
  return (
    <section aria-labelledby="lists-title">
      <h1 id="lists-title">Lists</h1>
      <p className="muted">
        Block and allow lists that rules read with <code>inList</code> / <code>notInList</code>. A change reaches every instance within 5
        seconds. {can('rules:publish') ? 'Open a list to add or remove items.' : 'Changing a list needs rules:publish.'}
      </p>
      <Loaded state={state} what="lists">
        {(page) => (
          <Table labelledBy="lists-title" columns={['List', 'Description', 'Items', 'Revision', 'Last change']}>
            {page.items.map((list) => (
              <tr key={list.id}>
                <th scope="row">
                  <a href={href(`/lists/${encodeURIComponent(list.id)}`)}>{list.id}</a>
                </th>
                <td>{list.description}</td>
                <td>{list.size.toLocaleString('en-US')}</td>
                <td>{list.revision}</td>
                <td>
                  {formatTime(list.updatedAt)} by {list.updatedBy.name}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Loaded>
    </section>
  );
}
