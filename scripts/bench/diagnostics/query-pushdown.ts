import type { Database } from '../../../src/db/database.js';

/** Whether a query's filter, sort and limit reach the storage engine (FerretDB's explain says so). */
export interface Pushdown {
  filter: boolean | undefined;
  sort: boolean | undefined;
  limit: boolean | undefined;
  plan: string;
  summary: string;
}

/** `explain` of one command; FerretDB answers filterPushdown/sortPushdown/limitPushdown, MongoDB a winning plan. */
export async function explainPushdown(database: Database, command: Record<string, unknown>): Promise<Pushdown> {
  try {
    const answer = (await database.connection.db!.command({ explain: command })) as Record<string, unknown>;
    const flag = (name: string) => (typeof answer[name] === 'boolean' ? (answer[name] as boolean) : undefined);
    const planner = answer.queryPlanner as
      | { Plan?: string[]; winningPlan?: { stage?: string; inputStage?: { stage?: string } } }
      | undefined;
    const plan =
      planner?.Plan?.join('; ') ?? [planner?.winningPlan?.stage, planner?.winningPlan?.inputStage?.stage].filter(Boolean).join(' ← ');
    const pushdown = { filter: flag('filterPushdown'), sort: flag('sortPushdown'), limit: flag('limitPushdown'), plan };
    const said = (value: boolean | undefined) => (value === undefined ? 'n/a' : value ? 'yes' : 'NO');
    return {
      ...pushdown,
      summary: `explain: filter pushed down ${said(pushdown.filter)}, sort ${said(pushdown.sort)}, limit ${said(pushdown.limit)}; plan: ${plan || 'n/a'}`,
    };
  } catch (error) {
    return { filter: undefined, sort: undefined, limit: undefined, plan: '', summary: `explain failed: ${(error as Error).message}` };
  }
}
