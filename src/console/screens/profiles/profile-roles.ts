import type { Role } from '../../../auth/roles.js';

/**
 * Who may look profiles up and browse segments: the contract's `profiles:read` (marketing, implied by
 * `profiles:write`) and `audit:read`. `profiles:read` is being added to the service's Role type on
 * another branch; until it lands there, the cast keeps the contract's name here.
 */
export const PROFILE_READERS = ['profiles:read', 'profiles:write', 'audit:read'] as unknown as Role[];
