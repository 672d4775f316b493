import { expect } from 'chai';
import { fixture } from '../helpers/fixtures.js';
import { parseCalendarDate, parseInstant } from '../../src/time/iso-time.js';
import { validatorFor } from '../../src/schema/validation.js';

interface InstantFixtures {
  accepted: { text: string; instant: string; why?: string }[];
  refused: { value: unknown; why: string }[];
}

const instants = fixture<InstantFixtures>('time/instants.json');
const show = (value: unknown) => JSON.stringify(value);
const dateTime = validatorFor({ type: 'string', format: 'date-time' });

describe('parseInstant (the one reading of time)', () => {
  for (const { text, instant, why } of instants.accepted) {
    it(`when the text is ${show(text)}${why ? ` (${why})` : ''}, then it is the instant ${instant} and validation accepts it`, () => {
      expect(parseInstant(text)?.toISOString()).to.equal(instant);
      expect(dateTime(text), show(dateTime.errors)).to.equal(true);
    });
  }

  for (const { value, why } of instants.refused) {
    it(`when the value is ${show(value)} (${why}), then it is no instant and validation refuses it`, () => {
      expect(parseInstant(value)).to.equal(undefined);
      if (typeof value === 'string') expect(dateTime(value)).to.equal(false);
    });
  }

  it('when given a valid Date, then it answers that Date; an invalid Date is no instant', () => {
    const date = new Date('2026-11-21T00:00:00Z');
    expect(parseInstant(date)).to.equal(date);
    expect(parseInstant(new Date(Number.NaN))).to.equal(undefined);
  });
});

describe('parseCalendarDate', () => {
  it('when the date exists, then its parts; when it does not or has a time, then undefined', () => {
    expect(parseCalendarDate('2024-02-29')).to.deep.equal({ year: 2024, month: 2, day: 29 });
    for (const value of ['2026-02-29', '2026-04-31', '2026-11-21T00:00:00Z', '2026-1-5', 20261121]) {
      expect(parseCalendarDate(value), show(value)).to.equal(undefined);
    }
  });
});
