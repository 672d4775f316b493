import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client.js';
import { hasAnyRole, type Role } from '../../auth/roles.js';

/** Who is signed in, as `GET /v1/me` describes the key. */
export interface Identity {
  keyId: string;
  name: string;
  roles: Role[];
  expiresAt?: string | null;
}

export interface Session {
  identity: Identity;
  api: ApiClient;
  /** Whether the key holds one of `roles` (admin implies every role, as on the service). */
  can(...roles: Role[]): boolean;
  signOut(message?: string): void;
}

// Session storage: the key lives only as long as the tab and never reaches a URL, a log or local storage.
const STORAGE_KEY = 'decisioning.console.key';

export const storedKey = (): string | null => sessionStorage.getItem(STORAGE_KEY);
export const storeKey = (key: string): void => sessionStorage.setItem(STORAGE_KEY, key);
export const forgetKey = (): void => sessionStorage.removeItem(STORAGE_KEY);

export function sessionOf(identity: Identity, api: ApiClient, signOut: Session['signOut']): Session {
  const caller = { keyId: identity.keyId, name: identity.name, roles: identity.roles };
  return { identity, api, signOut, can: (...roles) => hasAnyRole(caller, roles) };
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession: no signed-in session');
  return session;
}
