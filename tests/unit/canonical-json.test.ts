import { expect } from 'chai';
import { canonicalJson } from '../../src/json/canonical-json.js';

describe('canonicalJson()', () => {
  it('when keys come in any order, then the text is the same and sorted', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).to.equal('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 })).to.equal(
      canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } }),
    );
  });

  it('when values are undefined, then they are left out of objects and null in arrays, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).to.equal('{"b":[null,1]}');
  });

  it('when an object has an own __proto__ key (as JSON.parse makes it), then the key is kept, so two bodies that differ there differ', () => {
    const withKey = JSON.parse('{"type":"login","__proto__":{"x":1}}');
    const without = JSON.parse('{"type":"login"}');

    expect(canonicalJson(withKey)).to.equal('{"__proto__":{"x":1},"type":"login"}');
    expect(canonicalJson(withKey)).not.to.equal(canonicalJson(without));
  });
});
