import { useCallback, useState } from 'react';
import type { Page } from '../../api/types.js';
import { useAsync, type AsyncState } from '../../use-async.js';

export interface Pages<T> {
  state: AsyncState<Page<T>>;
  /** 1-based number of the page shown. */
  number: number;
  next?: () => void;
  previous?: () => void;
}

/**
 * Pages of a list the service answers with an opaque `nextCursor`: the cursors seen so far are kept,
 * so a person can go back without the service having to page backwards. `key` names the query: a new
 * one starts again at the first page.
 */
export function usePages<T>(load: (cursor: string | undefined) => Promise<Page<T>>, key: readonly unknown[]): Pages<T> {
  const [position, setPosition] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: JSON.stringify(key),
    cursors: [undefined],
  });
  const keyText = JSON.stringify(key);
  const cursors = position.key === keyText ? position.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const state = useAsync(() => load(cursor), [...key, cursor]);
  const nextCursor = state.data?.nextCursor;
  const next = useCallback(
    () => nextCursor && setPosition({ key: keyText, cursors: [...cursors, nextCursor] }),
    [keyText, cursors, nextCursor],
  );
  const previous = useCallback(() => setPosition({ key: keyText, cursors: cursors.slice(0, -1) }), [keyText, cursors]);
  return { state, number: cursors.length, next: nextCursor ? next : undefined, previous: cursors.length > 1 ? previous : undefined };
}

/** Previous / next buttons for a list of `what` (e.g. "decisions"), labelled with it. */
export function Pager({ pages, what }: { pages: Pages<unknown>; what: string }) {
  if (!pages.next && !pages.previous) return null;
  return (
    <nav className="toolbar" aria-label={`Pages of ${what}`}>
      <button type="button" className="secondary" onClick={pages.previous} disabled={!pages.previous}>
        Previous page
      </button>
      <span>Page {pages.number}</span>
      <button type="button" className="secondary" onClick={pages.next} disabled={!pages.next}>
        Next page
      </button>
    </nav>
  );
}
