import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { buildFactContext, computeFacts } from '../../src/facts/fact-library.js';
import { formatNumber, MAX_MESSAGE_LENGTH, renderMessage } from '../../src/engine/message-template.js';

interface TemplateFixtures {
  values: Record<string, unknown>;
  cases: { template: string; expect: string }[];
}

const FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'facts');
const templates = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'message-templates.json'), 'utf8')) as TemplateFixtures;

describe('renderMessage', () => {
  for (const { template, expect: expected } of templates.cases) {
    it(`when the template is ${JSON.stringify(template)}, then it reads ${JSON.stringify(expected)}`, () => {
      const message = renderMessage(template, templates.values);

      expect(message).to.equal(expected);
    });
  }

  it('when the Guangzhou customer applies from Beijing, then the alert message reads 1,888 km', () => {
    const context = buildFactContext(
      { type: 'individual', basic: { residence: { city: 'Guangzhou', lat: 23.13, lon: 113.26 } } },
      { type: 'loan_application', at: '2026-11-21T01:30:00+08:00', location: { lat: 39.9, lon: 116.4 } },
    );
    const facts = computeFacts(context, ['eventDistanceFromResidenceKm', 'eventLocalHour']);

    const message = renderMessage('{{eventDistanceFromResidenceKm}} km from residence at {{eventLocalHour}}h', facts);

    expect(message).to.equal('1,888 km from residence at 1h');
  });
});

describe('renderMessage: plain text, bounded', () => {
  it('when a value holds markup, control characters and bidi controls, then they are removed and the markup stays literal text', () => {
    const city = '<img src=x onerror=alert(1)>\u001b[2J\u202e';

    const message = renderMessage('lives in {{basic.residence.city}}\u2066!', { basic: { residence: { city } } });

    expect(message).to.equal('lives in <img src=x onerror=alert(1)>[2J!');
  });

  it('when C0, DEL, C1 and every bidi embedding, override and isolate appear, then none is left', () => {
    const unsafe = ['\u0000', '\t', '\n', '\u001f', '\u007f', '\u0085', '\u009f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e'];
    unsafe.push('\u2066', '\u2067', '\u2068', '\u2069');

    expect(renderMessage('a{{note}}b', { note: unsafe.join('') })).to.equal('ab');
  });

  it('when the rendered message is longer than 500 characters, then it is cut to 500 ending with an ellipsis', () => {
    const message = renderMessage('note: {{note}}', { note: 'x'.repeat(2000) });

    expect(message).to.have.length(MAX_MESSAGE_LENGTH);
    expect(message).to.equal(`note: ${'x'.repeat(493)}…`);
  });

  it('when a value is an object or a list of objects, then it renders as a short summary, not as JSON', () => {
    const activity = Array.from({ length: 50_000 }, (_, index) => ({ at: '2026-11-01T00:00:00Z', kind: 'login', deviceId: `d-${index}` }));

    const message = renderMessage('{{activity}} / {{basic}}', { activity, basic: { residence: {}, gender: 'f', education: 'x' } });

    expect(message).to.equal('[50000 items] / {3 fields}');
  });

  it('when a list of plain values is very long, then only what fits is rendered', () => {
    const message = renderMessage('{{interests}}', { interests: Array.from({ length: 100_000 }, () => 'travel') });

    expect(message)
      .to.have.length(MAX_MESSAGE_LENGTH)
      .and.match(/^travel, travel, .*…$/);
  });
});

describe('formatNumber', () => {
  const cases: [number, string][] = [
    [1888, '1,888'],
    [1890.2, '1,890'],
    [-1890.5, '-1,890'],
    [99.996, '100'],
    [0.7345, '0.73'],
    [12.5, '12.5'],
    [1234567, '1,234,567'],
    [-0, '0'],
    [Number.NaN, 'n/a'],
    [Number.POSITIVE_INFINITY, 'n/a'],
  ];
  for (const [value, expected] of cases) {
    it(`when the number is ${String(value)}, then it reads ${expected}`, () => {
      expect(formatNumber(value)).to.equal(expected);
    });
  }
});
