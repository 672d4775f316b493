import { ApiError, type ErrorDetail } from './api-error.js';

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  delete(path: string): Promise<void>;
  /** The raw response, for downloads (NDJSON export, CSV). */
  raw(path: string, accept?: string): Promise<Response>;
}

interface Envelope {
  error?: { code?: string; message?: string; details?: ErrorDetail[] };
}

/**
 * Calls the public HTTP API with the signed-in key. The key travels only in the Authorization header
 * (never in a URL); a 401 signs the person out, since the key no longer works.
 */
export function createApiClient(key: string, onUnauthenticated: () => void): ApiClient {
  async function send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    accept = 'application/json',
  ): Promise<Response> {
    const init: RequestInit = { method, headers: { Authorization: `Bearer ${key}`, Accept: accept, ...headers }, cache: 'no-store' };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await fetch(path, init);
    } catch {
      throw new ApiError(0, 'NETWORK', 'The service cannot be reached. Check your connection and try again.');
    }
    if (response.ok) return response;
    const envelope = (await response.json().catch(() => ({}))) as Envelope;
    const error = new ApiError(
      response.status,
      envelope.error?.code ?? 'HTTP_ERROR',
      envelope.error?.message ?? `The service answered ${response.status}.`,
      envelope.error?.details ?? [],
    );
    if (response.status === 401) onUnauthenticated();
    throw error;
  }
  const json = async <T>(response: Response): Promise<T> => (response.status === 204 ? (undefined as T) : ((await response.json()) as T));
  return {
    get: async (path) => json(await send('GET', path)),
    post: async (path, body, headers) => json(await send('POST', path, body, headers)),
    put: async (path, body) => json(await send('PUT', path, body)),
    delete: async (path) => {
      await send('DELETE', path);
    },
    raw: (path, accept) => send('GET', path, undefined, {}, accept),
  };
}

/** `?a=1&b=x` from the defined values of `params`. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
