import sinon from 'sinon';
import type supertest from 'supertest';
import { SimulationRunner } from '../../src/features/simulation/simulation-runner.js';
import { Simulator } from '../../src/features/simulation/simulator.js';

/** Any instance's HTTP address: an in-process test app's, or a spawned service's. */
export type Http = () => ReturnType<typeof supertest>;

/** The event the big profiles are evaluated for: all their activity lies in the 30 days before it. */
export const BIG_PROFILE_EVENT = { type: 'loan_application', at: '2026-11-20T01:00:00Z', location: { lat: 31.2, lon: 121.5 } };

/** A profile as large as the schema allows in activity (5,000 entries, ~0.5 MB), every entry in the fraud rules' 30-day window. */
export function bigProfile(): object {
  const eventTime = Date.parse(BIG_PROFILE_EVENT.at);
  return {
    type: 'individual',
    basic: { residence: { city: 'Guangzhou', lat: 23.13, lon: 113.26 } },
    activity: Array.from({ length: 5000 }, (_, i) => ({
      at: new Date(eventTime - (i + 1) * 500_000).toISOString(),
      kind: i % 7 === 0 ? 'loan_application' : 'login',
      lat: 23 + (i % 100) / 100,
      lon: 113 + (i % 50) / 100,
      deviceId: `d-${i % 300}`,
      channel: 'app',
    })),
  };
}

/** Stores `count` big profiles B-000, B-001, ... (four requests at a time). */
export async function storeBigProfiles(http: Http, key: Record<string, string>, count: number): Promise<void> {
  const body = bigProfile();
  const ids = Array.from({ length: count }, (_, index) => `B-${String(index).padStart(3, '0')}`);
  for (let start = 0; start < ids.length; start += 4) {
    await Promise.all(ids.slice(start, start + 4).map((id) => http().put(`/v1/profiles/${id}`).set(key).send(body).expect(201)));
  }
}

/** fraud-alerts version 1 against itself over the first `limit` profiles: a run whose cost is all in reading and facts. */
export const simulateProfiles = (http: Http, key: Record<string, string>, limit: number) =>
  http()
    .post('/v1/rulesets/fraud-alerts/simulate')
    .set(key)
    .send({ candidate: 1, baseline: 1, against: { profiles: { limit, event: BIG_PROFILE_EVENT } } });

export const simulationPath = (simulationId: string) => `/v1/rulesets/fraud-alerts/simulations/${simulationId}`;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Body = any;

/** Polls a background run every 100 ms until `done(body)` holds; fails after `timeoutMs`. */
export async function waitForSimulation(
  http: Http,
  key: Record<string, string>,
  simulationId: string,
  done: (body: Body) => boolean,
  timeoutMs = 60_000,
): Promise<Body> {
  const deadline = Date.now() + timeoutMs;
  let body: Body;
  while (Date.now() < deadline) {
    body = (await http().get(simulationPath(simulationId)).set(key)).body;
    if (done(body)) return body;
    await sleep(100);
  }
  throw new Error(`simulation ${simulationId} did not reach the awaited state; last seen: ${JSON.stringify(body).slice(0, 300)}`);
}

/**
 * Holds the background runs this process starts from now on after their first input, until they are
 * stopped or cancelled (a real run, held in Simulator.add until its signal aborts): such a run has
 * progress to show and cannot end before the test stops it, however fast the machine is (16 big
 * profiles take about a second, two heartbeats). sinon.restore() holds no further run.
 */
export function holdRunsAfterFirstInput(): void {
  let signal: AbortSignal | undefined;
  const run = SimulationRunner.prototype.run;
  sinon.stub(SimulationRunner.prototype, 'run').callsFake(function (this: SimulationRunner, plan, sides, options) {
    signal = options?.signal;
    return run.call(this, plan, sides, options);
  });
  const add = Simulator.prototype.add;
  let inputs = 0;
  sinon.stub(Simulator.prototype, 'add').callsFake(async function (this: Simulator, input) {
    inputs += 1;
    const stopped = signal;
    if (inputs > 1 && stopped && !stopped.aborted)
      await new Promise((resolve) => stopped.addEventListener('abort', resolve, { once: true }));
    return add.call(this, input);
  });
}
