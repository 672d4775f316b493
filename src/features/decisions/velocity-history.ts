import { DAY_MS } from '../../time/durations.js';
import { slotId } from '../profiles/velocity-slot-store.js';

/** One logged loan application as velocity counts it: its event time and when it was logged (server clock), in ms. */
export type ApplicationTime = readonly [eventAt: number, loggedAt: number];

/**
 * A profile's velocity state after its n-th logged loan application (n = 0: none yet): the recent
 * applications up to and including that one, in the order they were logged. Each application's log
 * entry holds slot n and the state it produced, so the state of slot n is exactly what applications
 * 1..n left behind.
 */
export interface VelocityHead {
  n: number;
  times: ApplicationTime[];
}

export const NO_APPLICATIONS: VelocityHead = Object.freeze({ n: 0, times: [] }) as VelocityHead;

// Trimmed by when each application was logged, on the server's clock, never by the event times a
// client sends: a time far ahead or far back can neither push older entries out nor be kept forever.
export const VELOCITY_KEEP_MS = 8 * DAY_MS;
const MAX_KEPT = 1000;

/** The log entry field value that makes the n-th application of a profile (named by its subject) unique across instances. */
export function velocitySlot(subject: string, n: number): string {
  // The same name keys the slot's record beside the profile (velocity-slot-store.ts).
  return slotId(subject, n);
}

/** applicationsLast24h: logged applications with an event time in the 24 h before the event, [event − 24 h, event). */
export function applicationsWithin24h(head: VelocityHead, eventTime: Date): number {
  const to = eventTime.getTime();
  const from = to - DAY_MS;
  return head.times.filter(([eventAt]) => eventAt >= from && eventAt < to).length;
}

/**
 * The time the service stamps an event with when the client sent none: now, but always after the
 * latest application already logged for the profile (by the server's clock), so that an application
 * admitted before this decision is "before" its event even within one millisecond.
 */
export function stampAfter(head: VelocityHead | undefined, now: Date): Date {
  const latest = head?.times.at(-1)?.[1];
  return latest !== undefined && latest >= now.getTime() ? new Date(latest + 1) : now;
}

/** The state after one more application: the next slot, with this application's times appended and old ones trimmed. */
export function afterApplication(head: VelocityHead, eventTime: Date, now: Date): VelocityHead {
  const keepFrom = now.getTime() - VELOCITY_KEEP_MS;
  const times = [...head.times, [eventTime.getTime(), now.getTime()] as const].filter(([, loggedAt]) => loggedAt >= keepFrom);
  return { n: head.n + 1, times: times.slice(-MAX_KEPT) };
}

/** The stored form: JSON text, one string rather than a field per number (the embedded database decodes every field it reads). */
export function timesText(times: readonly ApplicationTime[]): string {
  return JSON.stringify(times);
}

/** Reads the stored form back; what is not a pair of finite numbers is dropped rather than counted. */
export function parseTimes(text: unknown): ApplicationTime[] {
  if (typeof text !== 'string') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.filter(
    (entry): entry is ApplicationTime =>
      Array.isArray(entry) && entry.length === 2 && entry.every((ms) => typeof ms === 'number' && Number.isFinite(ms)),
  );
}
