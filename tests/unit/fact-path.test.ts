import { expect } from 'chai';
import { readPath } from '../../src/engine/fact-path.js';

describe('readPath', () => {
  it('when the path names own fields and indexes, then it reads them', () => {
    expect(readPath({ residence: { city: 'Guangzhou' } }, '$.residence.city')).to.equal('Guangzhou');
    expect(readPath({ categories: ['a', 'b'] }, '$.categories[1]')).to.equal('b');
  });

  it('when the path names a member every object inherits, then it reads nothing', () => {
    for (const path of ['$.constructor', '$.toString', '$.__proto__', '$.a.constructor.prototype', '$.a.hasOwnProperty']) {
      expect(readPath({ a: { b: 1 } }, path), path).to.equal(undefined);
    }
    expect(readPath(JSON.parse('{"constructor":5}'), '$.constructor')).to.equal(5);
  });
});
