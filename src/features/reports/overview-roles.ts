import type { Role } from '../../auth/roles.js';

/**
 * Who sees the overview's counts (GET /v1/reports/overview): compliance and the people who own the
 * rules. The counts hold no customer data, but they describe the lender's business, which loan
 * systems and data feeds do not need. A module of its own so the console can import it unbundled from HTTP code.
 */
export const OVERVIEW_ROLES: readonly Role[] = ['audit:read', 'rules:edit', 'rules:publish'];
