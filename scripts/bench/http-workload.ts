import type { Collection } from 'mongodb';
import { newProfileDocument } from '../../src/features/profiles/profile-doc.js';
import type { ProfileDocument } from '../../src/features/profiles/profile-schema.js';
import type { DecisionEvent } from '../../src/facts/decision-event.js';
import { generateEvent, generateStoredProfile, integer, mulberry32, type Rng } from '../../tests/helpers/generators.js';

/**
 * The reference workload of the HTTP section: profiles seeded in the database the service reads (ours
 * in ProfileStore's shape, the naive service's as plain documents: the same generated profiles), and
 * decision bodies naming a profile picked uniformly from the first `hot` profiles or from all of
 * them (cold), each with an event from a pool of which every other one is a loan application.
 */
export interface Workload {
  /** Profiles seeded (the cold set); the hot set is the first `hot` of them. */
  profiles: number;
  hot: number;
  /** The next body for the hot or the cold set. */
  body(set: 'hot' | 'cold'): string;
}

const INSERT_CHUNK = 1000;
/** The naive service's profiles: one plain document per profile, `_id` = profile id. */
export const NAIVE_PROFILES = 'naive_profiles';
export const NAIVE_LOG = 'naive_decision_log';

export const benchProfileId = (index: number): string => `BENCH-${String(index).padStart(6, '0')}`;

export function workload(seed: number, profiles: number, hot: number, events: number): Workload {
  const rng = mulberry32(seed + 3);
  const pool = Array.from({ length: events }, (_, index) => JSON.stringify(benchEvent(rng, index % 2 === 0)));
  const pick = mulberry32(seed + 4);
  let next = 0;
  return {
    profiles,
    hot: Math.min(hot, profiles),
    body(set) {
      const index = integer(pick, 0, (set === 'hot' ? Math.min(hot, profiles) : profiles) - 1);
      next = (next + 1) % pool.length;
      return `{"profileId":"${benchProfileId(index)}","event":${pool[next]}}`;
    },
  };
}

/** A generated event; a loan application when asked (with an amount, as a loan system sends it). */
function benchEvent(rng: Rng, application: boolean): DecisionEvent {
  const event = generateEvent(rng);
  if (!application) return event.type === 'loan_application' ? { ...event, type: 'login' } : event;
  return { ...event, type: 'loan_application', amount: event.amount ?? integer(rng, 1000, 500_000) };
}

/**
 * Inserts `count` generated profiles into both collections with the raw driver, 1,000 at a time (as
 * the retag section does: a data feed's bulk upserts would take minutes for 100,000 on the embedded
 * database). Answers the seconds it took.
 */
export async function seedProfiles(
  seed: number,
  count: number,
  ours: Collection,
  naive: Collection,
  log: (line: string) => void,
): Promise<number> {
  const rng = mulberry32(seed + 1);
  const started = performance.now();
  for (let from = 0; from < count; from += INSERT_CHUNK) {
    const now = new Date();
    const generated = Array.from({ length: Math.min(INSERT_CHUNK, count - from) }, (_, index) => ({
      profileId: benchProfileId(from + index),
      profile: generateStoredProfile(rng),
    }));
    await Promise.all([
      ours.insertMany(
        generated.map(({ profileId, profile }) => newProfileDocument(profileId, profile as ProfileDocument, now)) as never[],
        {
          ordered: false,
        },
      ),
      naive.insertMany(generated.map(({ profileId, profile }) => ({ _id: profileId, ...profile })) as never[], { ordered: false }),
    ]);
    if ((from / INSERT_CHUNK) % 20 === 19) log(`http: ${from + INSERT_CHUNK} profiles seeded`);
  }
  return (performance.now() - started) / 1000;
}
