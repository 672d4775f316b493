export const ROLES = ['decide', 'profiles:write', 'rules:edit', 'rules:publish', 'audit:read', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who made a request: the API key's id and name, and the roles it holds. */
export interface Caller {
  keyId: string;
  name: string;
  roles: Role[];
}

/** `admin` implies every role. */
export function hasAnyRole(caller: Caller, required: readonly Role[]): boolean {
  return caller.roles.includes('admin') || required.some((role) => caller.roles.includes(role));
}
