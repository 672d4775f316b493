import { useEffect, useState } from 'react';

/**
 * Screens are addressed by the URL's hash (`#/rulesets/fraud-alerts`), so the service serves one page
 * and a reload or a shared link opens the same screen. Keys never appear in it.
 */
export function useHashPath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return path;
}

function currentPath(): string {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/';
}

export function navigate(path: string): void {
  window.location.hash = path;
}

/** Matches `/rulesets/:id` against `/rulesets/fraud-alerts` → { id: 'fraud-alerts' }; null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = path.split('?')[0]!.split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = Object.create(null);
  for (let i = 0; i < want.length; i++) {
    const segment = want[i]!;
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(have[i]!);
    else if (segment !== have[i]) return null;
  }
  return params;
}

/** The query part of the hash path (`#/decisions?alert=X`). */
export function hashQuery(path: string): URLSearchParams {
  const index = path.indexOf('?');
  return new URLSearchParams(index >= 0 ? path.slice(index + 1) : '');
}

export const href = (path: string): string => `#${path}`;
