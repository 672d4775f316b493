import { expect } from 'chai';
import {
  afterApplication,
  applicationsWithin24h,
  NO_APPLICATIONS,
  parseTimes,
  stampAfter,
  timesText,
  velocitySlot,
  type VelocityHead,
} from '../../src/features/decisions/velocity-history.js';

describe('velocity history', () => {
  const HOUR = 3600 * 1000;
  const now = new Date('2026-11-21T00:00:00Z');
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

  it('when counting, then the window is the 24 h before the event, [event − 24 h, event)', () => {
    const head: VelocityHead = {
      n: 5,
      times: [-24 * HOUR - 1, -24 * HOUR, -HOUR, 0, 1].map((offset) => [now.getTime() + offset, now.getTime()] as const),
    };
    expect(applicationsWithin24h(head, now)).to.equal(2);
    expect(applicationsWithin24h(NO_APPLICATIONS, now)).to.equal(0);
  });

  it('when the service stamps an event, then it is after the latest logged application even within one millisecond', () => {
    const head = afterApplication(NO_APPLICATIONS, now, now);
    expect(stampAfter(head, now).getTime()).to.equal(now.getTime() + 1);
    expect(applicationsWithin24h(head, stampAfter(head, now))).to.equal(1);
    expect(stampAfter(head, at(5))).to.deep.equal(at(5));
    expect(stampAfter(undefined, now)).to.deep.equal(now);
  });

  it('when an application is added, then it takes the next slot and keeps the earlier times', () => {
    const first = afterApplication(NO_APPLICATIONS, at(-HOUR), now);
    const second = afterApplication(first, at(0), now);
    expect(second).to.deep.equal({
      n: 2,
      times: [
        [at(-HOUR).getTime(), now.getTime()],
        [now.getTime(), now.getTime()],
      ],
    });
    expect(NO_APPLICATIONS.times, 'the empty state is never changed').to.deep.equal([]);
    expect(velocitySlot('C-1', second.n)).to.equal('C-1#2');
  });

  it('when applications were logged more than 8 days ago by the server clock, then they are dropped whatever their event times', () => {
    let head = afterApplication(NO_APPLICATIONS, at(+365 * 24 * HOUR), at(-9 * 24 * HOUR));
    head = afterApplication(head, new Date('2001-01-01T00:00:00Z'), at(-7 * 24 * HOUR));
    head = afterApplication(head, at(0), now);
    expect(head.n).to.equal(3);
    expect(head.times.map(([eventAt]) => eventAt)).to.deep.equal([Date.parse('2001-01-01T00:00:00Z'), now.getTime()]);
  });

  it('when more than 1,000 recent applications were logged, then the latest 1,000 are kept', () => {
    let head = NO_APPLICATIONS;
    for (let i = 0; i < 1005; i++) head = afterApplication(head, at(i), now);
    expect(head.n).to.equal(1005);
    expect(head.times).to.have.length(1000);
    expect(head.times[0]![0]).to.equal(at(5).getTime());
  });

  it('when stored times are read back, then what is not a pair of finite numbers is dropped', () => {
    expect(parseTimes(timesText([[1, 2]]))).to.deep.equal([[1, 2]]);
    expect(parseTimes('[[1,2],[3],["4",5],[6,null],7]')).to.deep.equal([[1, 2]]);
    expect(parseTimes('not json')).to.deep.equal([]);
    expect(parseTimes(undefined)).to.deep.equal([]);
  });
});
