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
 * data changed): a change of any of them loads again, as `reload()` does. Answers to superseded loads
 * are ignored; while a load runs, the last data stays.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const latestLoad = useRef(load);
  latestLoad.current = load;
  // Each request is a new object: the one the last answer belongs to tells whether it is still loading.
  const [request, setRequest] = useState(() => ({ deps }));
  if (!sameItems(request.deps, deps)) setRequest({ deps });
  const reload = useCallback(() => setRequest((current) => ({ deps: current.deps })), []);
  const [answer, setAnswer] = useState<{ request: object; data: T | undefined; error: unknown }>();
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
  return { data: answer?.data, error: loading ? undefined : answer?.error, loading, reload };
}
