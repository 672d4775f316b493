import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { buildFactContext, computeFacts } from '../../src/facts/fact-library.js';
import { formatNumber, renderMessage } from '../../src/engine/message-template.js';

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
