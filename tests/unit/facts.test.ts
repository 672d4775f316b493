import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import type { FactContext, FactProfile, FactType } from '../../src/facts/fact-definition.js';
import type { DecisionEvent } from '../../src/facts/decision-event.js';
import { buildFactContext, computeFacts, FACTS, FACTS_BY_NAME, factsReadingHistory } from '../../src/facts/fact-library.js';
import { greatCircleDistanceKm, medianPosition } from '../../src/facts/geo.js';
import { localDateParts, localHour, wholeYearsSince } from '../../src/time/time-zone.js';
import { parseInstant } from '../../src/time/iso-time.js';

interface DerivedFactCase {
  name: string;
  profile: FactProfile;
  event: DecisionEvent;
  history?: FactContext['history'];
  /** Fact name → expected value; null means the fact must be absent. */
  expect: Record<string, unknown>;
}

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'facts');
const readFixture = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as T;
const derivedCases = readFixture<{ cases: DerivedFactCase[] }>('derived-facts.json').cases;

const contextOf = (testCase: DerivedFactCase) => buildFactContext(testCase.profile, testCase.event, testCase.history);

const GUANGZHOU = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const BEIJING = { lat: 39.9, lon: 116.4 };

const matchesType: Record<FactType, (value: unknown) => boolean> = {
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  integer: (value) => Number.isInteger(value),
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  object: (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  array: Array.isArray,
};

// One describe per fact, one test per fixture case that names it.
const factsInFixtures = [...new Set(derivedCases.flatMap((testCase) => Object.keys(testCase.expect)))];
for (const factName of factsInFixtures) {
  describe(`fact ${factName}`, () => {
    for (const testCase of derivedCases.filter((candidate) => factName in candidate.expect)) {
      it(testCase.name, () => {
        const expected = testCase.expect[factName];
        const context = contextOf(testCase);

        const facts = computeFacts(context, [factName]);

        expect(FACTS_BY_NAME.has(factName), `the fixture names an unknown fact ${factName}`).to.equal(true);
        if (expected === null) expect(facts).not.to.have.property(factName);
        else if (typeof expected === 'number') expect(facts[factName]).to.be.a('number').and.closeTo(expected, 1e-4);
        else expect(facts[factName]).to.deep.equal(expected);
      });
    }
  });
}

describe('fact library', () => {
  it('when listed, then every fact has a unique name, a known type and a description', () => {
    const names = FACTS.map((fact) => fact.name);

    expect(new Set(names).size).to.equal(names.length);
    for (const fact of FACTS) {
      expect(Object.keys(matchesType), fact.name).to.include(fact.type);
      expect(fact.description, fact.name).to.be.a('string').with.length.above(10);
      expect(FACTS_BY_NAME.get(fact.name)).to.equal(fact);
    }
  });

  it('when listed, then the contract facts and every profile section are there', () => {
    const required = [
      'age',
      'businessYears',
      'debtToIncome',
      'eventLocalHour',
      'eventDistanceFromResidenceKm',
      'trajectoryDistanceFromResidenceKm',
      'lateNightActivityShare30d',
      'activityCount30d',
      'applicationsLast24h',
      'type',
      'timezone',
      'basic',
      'company',
      'financials',
      'credit',
      'ecommerce',
      'interests',
      'sentiment',
      'activity',
      'attributes',
      'event',
    ];

    expect([...FACTS_BY_NAME.keys()]).to.include.members(required);
  });

  it('when computed for every fixture case, then each present value has its declared type', () => {
    for (const testCase of derivedCases) {
      const facts = computeFacts(contextOf(testCase));

      for (const [name, value] of Object.entries(facts)) {
        const fact = FACTS_BY_NAME.get(name)!;
        expect(matchesType[fact.type](value), `${testCase.name}: ${name} = ${JSON.stringify(value)}`).to.equal(true);
      }
    }
  });

  it('when given names, then computeFacts computes only those and ignores unknown ones', () => {
    const context = buildFactContext(
      { type: 'individual', basic: { birthDate: '1988-04-02' } },
      { type: 'login', at: '2026-11-21T01:30:00+08:00' },
    );

    const facts = computeFacts(context, ['age', 'eventLocalHour', 'noSuchFact', 'age', 'debtToIncome']);

    expect(facts).to.deep.equal({ age: 38, eventLocalHour: 1 });
  });

  it('when the sections are present, then each section fact is the section itself', () => {
    const profile: FactProfile = {
      type: 'sme',
      credit: { score: 688 },
      interests: ['travel'],
      attributes: { vipLevel: 2 },
    };
    const event: DecisionEvent = { type: 'loan_application', at: '2026-11-21T01:30:00+08:00', channel: 'app' };

    const facts = computeFacts(buildFactContext(profile, event), ['type', 'credit', 'interests', 'attributes', 'event', 'company']);

    expect(facts).to.deep.equal({ type: 'sme', credit: { score: 688 }, interests: ['travel'], attributes: { vipLevel: 2 }, event });
  });

  it('when every section holds the wrong type, then no fact throws and every present value has its declared type', () => {
    const hostile = {
      type: 42,
      timezone: 'Not/AZone',
      basic: 'x',
      company: [],
      financials: null,
      credit: 1,
      ecommerce: true,
      interests: 'travel',
      sentiment: [],
      activity: { at: '2026-11-20T00:00:00Z' },
      attributes: null,
      createdAt: 12,
    } as unknown as FactProfile;
    const event = { type: 'login', at: 'soon', location: [1, 2], amount: Number.NaN, deviceId: {} } as unknown as DecisionEvent;

    const facts = computeFacts(buildFactContext(hostile, event, { applicationsLast24h: Number.NaN }));

    expect(facts).to.deep.equal({ timezone: 'Not/AZone', event });
  });

  it('when the wall clock changes, then no fact changes (facts read the event time only)', () => {
    const profile = readFixture<FactProfile>(path.join('..', 'profiles', 'individual-guangzhou.json'));
    const event: DecisionEvent = {
      type: 'loan_application',
      at: '2026-11-21T01:30:00+08:00',
      location: BEIJING,
      deviceId: 'd-1',
      amount: 50000,
    };
    const clock = sinon.useFakeTimers(new Date('2001-01-01T00:00:00Z'));
    try {
      const in2001 = computeFacts(buildFactContext(profile, event));
      clock.setSystemTime(new Date('2040-06-15T12:00:00Z'));

      const in2040 = computeFacts(buildFactContext(profile, event));

      expect(in2040).to.deep.equal(in2001);
      expect(in2001).to.include({ age: 38, activityCount30d: 2, eventLocalHour: 1, eventDeviceKnown: true });
    } finally {
      clock.restore();
    }
  });

  it('when a fact reads the decision log, then it declares that history, and the library finds it by the declaration', () => {
    const profile = readFixture<FactProfile>(path.join('..', 'profiles', 'individual-guangzhou.json'));
    const event: DecisionEvent = {
      type: 'loan_application',
      at: '2026-11-21T01:30:00+08:00',
      location: BEIJING,
      deviceId: 'd-1',
      amount: 50000,
    };
    const names = FACTS.map((fact) => fact.name);

    const without = computeFacts(buildFactContext(profile, event, {}));
    const withHistory = computeFacts(buildFactContext(profile, event, { applicationsLast24h: 3 }));
    const readingHistory = names.filter((name) => JSON.stringify(withHistory[name]) !== JSON.stringify(without[name]));

    expect(readingHistory).to.deep.equal(['applicationsLast24h']);
    expect(factsReadingHistory(names)).to.deep.equal(readingHistory);
    expect(factsReadingHistory(['age', 'applicationsLast24h', 'noSuchFact'], 'applications')).to.deep.equal(['applicationsLast24h']);
  });

  it('when the activity list of a context is replaced, then the activity facts follow the new list', () => {
    const context = buildFactContext(
      { type: 'individual', activity: [{ at: '2026-11-20T00:00:00Z', kind: 'login' }] },
      { type: 'login', at: '2026-11-21T00:00:00Z' },
    );
    const before = computeFacts(context, ['activityCount30d']);

    context.profile.activity = [
      { at: '2026-11-19T00:00:00Z', kind: 'login' },
      { at: '2026-11-20T00:00:00Z', kind: 'loan_application' },
    ];
    const after = computeFacts(context, ['activityCount30d', 'loanApplications30d']);

    expect(before).to.deep.equal({ activityCount30d: 1 });
    expect(after).to.deep.equal({ activityCount30d: 2, loanApplications30d: 1 });
  });
});

describe('buildFactContext', () => {
  it('when the profile names no zone, then the context uses Asia/Shanghai', () => {
    const context = buildFactContext({ type: 'individual' }, { type: 'login', at: '2026-11-21T01:30:00+08:00' });

    expect(context.timeZone).to.equal('Asia/Shanghai');
    expect(context.eventTime.toISOString()).to.equal('2026-11-20T17:30:00.000Z');
    expect(context.history).to.deep.equal({});
  });

  it('when the profile names a zone, then the context uses it', () => {
    const context = buildFactContext({ type: 'individual', timezone: 'Europe/London' }, { type: 'login', at: '2026-11-21T01:30:00Z' });

    expect(context.timeZone).to.equal('Europe/London');
  });

  it('when event.at is not an ISO time with offset, then the time-relative facts are absent', () => {
    const profile: FactProfile = {
      type: 'individual',
      basic: { birthDate: '1988-04-02' },
      activity: [{ at: '2026-11-20T00:00:00Z', kind: 'login' }],
    };

    const facts = computeFacts(buildFactContext(profile, { type: 'login', at: '2026-11-21 01:30' }));

    expect(facts).to.not.have.any.keys('age', 'eventLocalHour', 'activityCount30d', 'daysSinceLastActivity');
    expect(facts).to.have.property('basic');
  });
});

describe('time-zone localDateParts', () => {
  const cases: { instant: string; zone: string; expected: { year: number; month: number; day: number; hour: number; weekday: number } }[] =
    [
      { instant: '2026-11-20T16:30:00Z', zone: 'Asia/Shanghai', expected: { year: 2026, month: 11, day: 21, hour: 0, weekday: 6 } },
      { instant: '2026-11-20T15:59:59Z', zone: 'Asia/Shanghai', expected: { year: 2026, month: 11, day: 20, hour: 23, weekday: 5 } },
      { instant: '2026-12-31T18:29:00Z', zone: 'Asia/Kolkata', expected: { year: 2026, month: 12, day: 31, hour: 23, weekday: 4 } },
      { instant: '2026-12-31T18:30:00Z', zone: 'Asia/Kolkata', expected: { year: 2027, month: 1, day: 1, hour: 0, weekday: 5 } },
      { instant: '2026-11-01T05:30:00Z', zone: 'America/New_York', expected: { year: 2026, month: 11, day: 1, hour: 1, weekday: 0 } },
      { instant: '2026-11-01T06:30:00Z', zone: 'America/New_York', expected: { year: 2026, month: 11, day: 1, hour: 1, weekday: 0 } },
    ];
  for (const { instant, zone, expected } of cases) {
    it(`when ${instant} is read in ${zone}, then it is ${expected.year}-${expected.month}-${expected.day} hour ${expected.hour}`, () => {
      const parts = localDateParts(new Date(instant), zone);

      expect(parts).to.include(expected);
    });
  }

  it('when the zone is unknown or the instant invalid, then it answers undefined', () => {
    expect(localDateParts(new Date('2026-11-20T16:30:00Z'), 'Mars/Olympus_Mons')).to.equal(undefined);
    expect(localDateParts(new Date(Number.NaN), 'Asia/Shanghai')).to.equal(undefined);
    expect(localHour(new Date('2026-11-20T16:30:00Z'), 'Mars/Olympus_Mons')).to.equal(undefined);
  });

  it('when only the hour is asked, then localHour agrees with localDateParts every quarter hour of a DST week', () => {
    const start = Date.parse('2026-03-05T00:00:00Z');

    for (let step = 0; step < 7 * 96; step += 1) {
      const instant = new Date(start + step * 15 * 60 * 1000);
      for (const zone of ['America/New_York', 'Asia/Kathmandu', 'Asia/Shanghai']) {
        expect(localHour(instant, zone), `${instant.toISOString()} ${zone}`).to.equal(localDateParts(instant, zone)?.hour);
      }
    }
  });
});

describe('time-zone wholeYearsSince', () => {
  it('when the date is not a real YYYY-MM-DD date, then it answers undefined', () => {
    const at = new Date('2026-11-21T00:00:00Z');

    for (const date of ['1988-13-01', '1988-02-30', '88-01-01', '1988-1-1', '1988-04-02T00:00:00Z', 19880402, undefined]) {
      expect(wholeYearsSince(date, at, 'Asia/Shanghai'), String(date)).to.equal(undefined);
    }
  });

  it('when the anniversary is reached on the local date, then the year counts', () => {
    expect(wholeYearsSince('2000-11-21', new Date('2026-11-20T16:00:00Z'), 'Asia/Shanghai')).to.equal(26);
    expect(wholeYearsSince('2000-11-21', new Date('2026-11-20T16:00:00Z'), 'UTC')).to.equal(25);
  });
});

describe('time-zone parseInstant', () => {
  it('when the time carries an offset or Z, then it is parsed to that instant', () => {
    expect(parseInstant('2026-11-21T01:30:00+08:00')?.toISOString()).to.equal('2026-11-20T17:30:00.000Z');
    expect(parseInstant('2026-11-20T17:30Z')?.toISOString()).to.equal('2026-11-20T17:30:00.000Z');
    expect(parseInstant('2026-11-20T17:30:00.123456Z')?.toISOString()).to.equal('2026-11-20T17:30:00.123Z');
  });

  it('when the time has no offset, is a date only or does not exist, then it answers undefined', () => {
    for (const value of ['2026-11-21T01:30:00', '2026-11-21', '2026-02-30T00:00:00Z', '2026-11-21T24:00:00Z', 'now', 1795000000000, null]) {
      expect(parseInstant(value), String(value)).to.equal(undefined);
    }
  });
});

describe('geo greatCircleDistanceKm', () => {
  it('when the residence is in Guangzhou and the event in Beijing, then they are about 1,888 km apart', () => {
    const km = greatCircleDistanceKm(GUANGZHOU, BEIJING);

    expect(km).to.be.closeTo(1888, 1);
    expect(greatCircleDistanceKm(BEIJING, GUANGZHOU)).to.be.closeTo(km, 1e-9);
  });

  it('when both points are the same, then the distance is 0; when antipodal, half the circumference', () => {
    expect(greatCircleDistanceKm(GUANGZHOU, GUANGZHOU)).to.equal(0);
    expect(greatCircleDistanceKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).to.be.closeTo(Math.PI * 6371.0088, 1e-6);
  });
});

describe('geo medianPosition', () => {
  it('when the count is odd, then it is the middle latitude and longitude, whatever an outlier says', () => {
    const median = medianPosition([BEIJING, GUANGZHOU, { lat: 39.8, lon: 116.3 }, { lat: -33.9, lon: 151.2 }, { lat: 39.95, lon: 116.5 }]);

    expect(median).to.deep.equal({ lat: 39.8, lon: 116.4 });
  });

  it('when the count is even, then it averages the two middle values; when empty, it is undefined', () => {
    expect(
      medianPosition([
        { lat: 10, lon: 100 },
        { lat: 20, lon: 110 },
      ]),
    ).to.deep.equal({ lat: 15, lon: 105 });
    expect(medianPosition([])).to.equal(undefined);
  });
});
