export const ROLES = [
  'decide',
  'profiles:write',
  'profiles:read',
  'rules:edit',
  'rules:publish',
  'audit:read',
  'alerts:review',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Who made a request: the API key's id and name, and the roles it holds. */
export interface Caller {
  keyId: string;
  name: string;
  roles: Role[];
}

/** Roles that come with another: a data feed that writes profiles may read them back. */
const IMPLIED: ReadonlyMap<Role, readonly Role[]> = new Map([['profiles:write', ['profiles:read']]]);

/** `admin` implies every role; `profiles:write` implies `profiles:read`. */
export function hasAnyRole(caller: Caller, required: readonly Role[]): boolean {
  if (caller.roles.includes('admin')) return true;
  const held = new Set(caller.roles.flatMap((role) => [role, ...(IMPLIED.get(role) ?? [])]));
  return required.some((role) => held.has(role));
}
