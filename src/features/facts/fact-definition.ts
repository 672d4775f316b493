import type { ProfileDocument } from '../profiles/profile-schema.js';

/** The event a decision is about (the request's `event`), with `at` always resolved to an ISO time. */
export interface DecisionEvent {
  type: string;
  at: string;
  amount?: number;
  location?: { lat: number; lon: number };
  deviceId?: string;
  channel?: string;
  [extra: string]: unknown;
}

/** The profile as facts see it: the client's sections plus, when stored, its creation time. */
export type FactProfile = ProfileDocument & { createdAt?: string };

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
  /** Looked up from the decision log before evaluation; absent when unknown (e.g. in draft tests). */
  history: { applicationsLast24h?: number };
}

export type FactType = 'number' | 'integer' | 'string' | 'boolean' | 'object' | 'array';

/** A named, typed, documented pure function of the context. `undefined` means "absent". */
export interface FactDefinition {
  name: string;
  type: FactType;
  description: string;
  compute(context: FactContext): unknown;
}
