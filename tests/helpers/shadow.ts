import { expect } from 'chai';
import { bearer, type TestApp } from './test-app.js';
import { fixture } from './fixtures.js';

/** A Beijing application from a Guangzhou resident: 1,888 km from home. */
export const BEIJING_APPLICATION = {
  type: 'loan_application',
  at: '2026-11-21T10:30:00+08:00',
  amount: 50000,
  location: { lat: 39.9, lon: 116.4 },
};

/** A fraud rule alerting (high) on an event farther than `km` from the residence. */
export function farEventRule(km: number) {
  return {
    name: 'event-far-from-residence',
    priority: 10,
    conditions: { all: [{ fact: 'eventDistanceFromResidenceKm', operator: 'greaterThan', value: km }] },
    event: { type: 'alert', params: { code: 'LOCATION_MISMATCH', severity: 'high' } },
  };
}

/** A rule only version 2 has, on a fact version 1 does not read: a medium alert on an amount above twice the monthly income. */
export const AMOUNT_TO_INCOME_RULE = {
  name: 'amount-above-twice-income',
  priority: 5,
  conditions: { all: [{ fact: 'eventAmountToMonthlyIncome', operator: 'greaterThanInclusive', value: 2 }] },
  event: { type: 'alert', params: { code: 'AMOUNT_HIGH_FOR_INCOME', severity: 'medium' } },
};

/**
 * A fraud ruleset whose version 1 (active) declines the Beijing application (LOCATION_MISMATCH) and whose
 * version 2 (published, not active) sends it to review (AMOUNT_HIGH_FOR_INCOME): outcome and alerts differ.
 */
export async function rulesetWithCandidate(app: TestApp, id: string): Promise<void> {
  const admin = bearer(app.adminKey);
  await app.http().post('/v1/rulesets').set(admin).send({ id, kind: 'fraud', description: 'shadow test' }).expect(201);
  await app
    .http()
    .put(`/v1/rulesets/${id}/draft`)
    .set(admin)
    .send({ rules: [farEventRule(300)], tests: [] })
    .expect(200);
  await app.http().post(`/v1/rulesets/${id}/versions`).set(admin).expect(201);
  await app
    .http()
    .put(`/v1/rulesets/${id}/draft`)
    .set(admin)
    .send({ rules: [farEventRule(3000), AMOUNT_TO_INCOME_RULE], tests: [] })
    .expect(200);
  await app.http().post(`/v1/rulesets/${id}/versions`).set(admin).send({ activate: false }).expect(201);
}

export async function storeGuangzhouProfile(app: TestApp, profileId: string): Promise<void> {
  const res = await app
    .http()
    .put(`/v1/profiles/${profileId}`)
    .set(bearer(app.adminKey))
    .send(fixture('profiles/individual-guangzhou.json'));
  expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
}

/** Polls until `done` holds of the answer (or the deadline passes), and answers the last one. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}
