import type { DecisionEvent } from './decision-event.js';

/**
 * The profile as facts see it: the client's sections and, when stored, its creation time. Each is
 * `unknown`: stored profiles were validated against the profile schema, but draft tests and replays
 * hand facts documents that never were, so every fact checks the shape it reads (fact-inputs.ts).
 */
export interface FactProfile {
  type?: unknown;
  timezone?: unknown;
  currency?: unknown;
  basic?: unknown;
  company?: unknown;
  financials?: unknown;
  credit?: unknown;
  ecommerce?: unknown;
  interests?: unknown;
  sentiment?: unknown;
  activity?: unknown;
  attributes?: unknown;
  createdAt?: unknown;
}

/**
 * Everything a fact may read. Facts are pure functions of this: no wall clock, no I/O. Values that
 * need the database (e.g. applications logged in the last 24 h) are looked up before evaluation.
 */
export interface FactContext {
  profile: FactProfile;
  event: DecisionEvent;
  /** The event time, parsed once. "Last 30 days" and ages are relative to it, never to now. */
  eventTime: Date;
  /** IANA zone of the customer: profile.timezone or Asia/Shanghai. */
  timeZone: string;
  /** Looked up from the decision log before evaluation, for facts that declare it; absent when unknown (e.g. in draft tests). */
  history: { applicationsLast24h?: number };
}

/** History a fact reads besides the profile and the event: `applications`, the profile's logged loan applications. */
export type FactHistory = 'applications';

export type FactType = 'number' | 'integer' | 'string' | 'boolean' | 'object' | 'array';

/** A named, typed, documented pure function of the context. `undefined` means "absent". */
export interface FactDefinition {
  name: string;
  type: FactType;
  description: string;
  /** The history it reads, which whoever evaluates must look up first (into FactContext.history); none for most facts. */
  history?: FactHistory;
  compute(context: FactContext): unknown;
}
