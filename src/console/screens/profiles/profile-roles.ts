import type { Role } from '../../../auth/roles.js';

/** Who may look profiles up and browse segments: `profiles:read` (marketing; `profiles:write` implies it) and `audit:read`. */
export const PROFILE_READERS: Role[] = ['profiles:read', 'audit:read'];
