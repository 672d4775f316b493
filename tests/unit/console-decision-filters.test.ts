import { expect } from 'chai';
import {
  filtersFromQuery,
  filtersQuery,
  fromLocalInput,
  localDayRange,
  toLocalInput,
} from '../../src/console/screens/decisions/decision-filters.js';

describe('console: decision search filters', () => {
  it('when a shared address holds filters, unknown names and blanks, then only the filters are read back, and written in a fixed order', () => {
    const filters = filtersFromQuery(
      new URLSearchParams('to=2026-11-22T00:00:00.000Z&key=secret&alert=LOCATION_MISMATCH&outcome=&profileId=%20C-1%20'),
    );
    expect(filters).to.deep.equal({ to: '2026-11-22T00:00:00.000Z', alert: 'LOCATION_MISMATCH', profileId: 'C-1' });
    expect(filtersQuery(filters)).to.equal('?profileId=C-1&alert=LOCATION_MISMATCH&to=2026-11-22T00%3A00%3A00.000Z');
    expect(filtersQuery({}, { limit: 20, cursor: '' })).to.equal('?limit=20');
  });

  it('when a time goes through a datetime-local input and back, then it is the same instant (to the minute)', () => {
    const iso = '2026-11-21T17:30:00.000Z';
    expect(toLocalInput(iso)).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    expect(fromLocalInput(toLocalInput(iso))).to.equal(iso);
    expect(toLocalInput('not a time')).to.equal('');
    expect(fromLocalInput('')).to.equal(undefined);
  });

  it("when a day is chosen, then its range runs from the browser's midnight to the next one", () => {
    const range = localDayRange('2026-11-21')!;
    expect(toLocalInput(range.from)).to.equal('2026-11-21T00:00');
    expect(toLocalInput(range.to)).to.equal('2026-11-22T00:00');
    expect(localDayRange('21/11/2026')).to.equal(undefined);
  });
});
