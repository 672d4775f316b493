import { useCallback, useEffect, useRef, useState } from 'react';

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Runs the load again (e.g. after a change). */
  reload(): void;
}

const sameItems = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((item, index) => Object.is(item, b[index]));

/**
 * Loads data for a screen. `deps` name what the data depends on (ids, a query, a checksum that says the
 * data changed): a change of any of them loads again, and until that answer comes there is no data, so
 * a screen never shows the answer to another query as this one's. `reload()` loads the same again and
 * keeps the last data meanwhile (polling, a refresh after a change). Answers to superseded loads are ignored.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const latestLoad = useRef(load);
  latestLoad.current = load;
  // Each request is a new object (reload() keeps its deps array): the last answer's request tells what it answers.
  const [request, setRequest] = useState(() => ({ deps }));
  if (!sameItems(request.deps, deps)) setRequest({ deps });
  const reload = useCallback(() => setRequest((current) => ({ deps: current.deps })), []);
  const [answer, setAnswer] = useState<{ request: { deps: readonly unknown[] }; data: T | undefined; error: unknown }>();
  useEffect(() => {
    let current = true;
    latestLoad.current().then(
      (data) => current && setAnswer({ request, data, error: undefined }),
      (error: unknown) => current && setAnswer({ request, data: undefined, error }),
    );
    return () => {
      current = false;
    };
  }, [request]);
  const loading = answer?.request !== request;
  const sameDeps = answer?.request.deps === request.deps;
  return { data: sameDeps ? answer?.data : undefined, error: loading ? undefined : answer?.error, loading, reload };
}
