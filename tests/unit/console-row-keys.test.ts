import { expect } from 'chai';
import { keysByName, ListKeys } from '../../src/console/screens/common/row-keys.js';

describe('console: keys of rows without ids', () => {
  it('when rows are named, then each keeps its name as key wherever it moves, and a repeated name is told apart by occurrence', () => {
    expect(keysByName(['late', 'vip', 'young'])).to.deep.equal(['late', 'vip', 'young']);
    expect(keysByName(['vip', 'late', 'young'])).to.deep.equal(['vip', 'late', 'young']);
    const repeated = keysByName(['a', 'b', 'a', 'a']);
    expect(repeated.slice(0, 2)).to.deep.equal(['a', 'b']);
    expect(new Set(repeated).size).to.equal(4);
  });

  it('when a list row is removed, then the rows after it keep their keys; an added row gets a key no row had', () => {
    const keys = new ListKeys();
    const [first, second, third] = keys.of(3);
    expect(keys.of(3)).to.deep.equal([first, second, third]);
    keys.remove(1);
    expect(keys.of(2)).to.deep.equal([first, third]);
    const grown = keys.of(3);
    expect(grown.slice(0, 2)).to.deep.equal([first, third]);
    expect([first, second, third]).not.to.include(grown[2]);
    expect(keys.of(1)).to.deep.equal([first]);
  });
});
