import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../src/config/repo-root.js';
import { renderApiReference, type OpenApiDocument } from '../../scripts/api-reference/api-markdown.js';

const SCRIPT = path.join(REPO_ROOT, 'build', 'scripts', 'api-reference.js');
const REFERENCE = path.join(REPO_ROOT, 'docs', 'api.md');

const errorEnvelope = { $ref: '#/components/schemas/Error' };
const address = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    street: { type: 'string' },
    zip: { type: 'string', pattern: '^(\\d{5}|\\d{9})$' },
    lat: { type: 'number', minimum: -90, maximum: 90 },
    lon: { type: 'number', minimum: -180, maximum: 180 },
    note: { type: 'string', maxLength: 200 },
  },
  required: ['city'],
  additionalProperties: false,
};

function document(paths: OpenApiDocument['paths']): OpenApiDocument {
  return { info: { title: 'Test service' }, components: { schemas: { Error: { type: 'object' } } }, paths };
}

const withBody = (schema: object) => ({
  tags: ['T'],
  requestBody: { required: true, content: { 'application/json': { schema } } },
  responses: {},
});

describe('API reference (docs/api.md)', () => {
  it('when docs/api.md is compared with the reference rendered from the route specs, then it is identical', () => {
    const rendered = execFileSync(process.execPath, [SCRIPT, '--stdout'], { encoding: 'utf8' });
    const committed = fs.existsSync(REFERENCE) ? fs.readFileSync(REFERENCE, 'utf8') : '';
    expect(committed === rendered, 'docs/api.md is out of date: run `npm run docs:api` and commit the result').to.equal(true);
  });

  it('when a route names roles or is public, then the reference says who may call it (admin always)', () => {
    const markdown = renderApiReference(
      document({
        '/v1/things': {
          get: { summary: 'List things', tags: ['Things'], description: 'Roles: audit:read (or admin).', responses: {} },
          post: { summary: 'Make a thing', tags: ['Things'], description: 'Roles: admin (or admin).', responses: {} },
        },
        '/healthz': { get: { summary: 'Liveness', tags: ['Health'], security: [], responses: { 200: { description: 'Alive' } } } },
        '/v1/facts': { get: { summary: 'Facts', tags: ['Facts'], responses: { 200: { description: 'Facts' } } } },
      }),
    );
    expect(markdown).to.include('| [GET /v1/things](#get-v1things) | List things | `audit:read` or `admin` |');
    expect(markdown).to.include('| [POST /v1/things](#post-v1things) | Make a thing | `admin` |');
    expect(markdown).to.include('| [GET /healthz](#get-healthz) | Liveness | no key |');
    expect(markdown).to.include('| [GET /v1/facts](#get-v1facts) | Facts | any valid key |');
  });

  it('when a shape repeats, then the later place points at the first instead of repeating its fields', () => {
    const markdown = renderApiReference(
      document({
        '/v1/a': { put: withBody(address) },
        '/v1/b': { put: withBody(address) },
      }),
    );
    expect(markdown.match(/\| `street` \|/g)).to.have.length(1);
    expect(markdown).to.include('Request body (`application/json`), with the fields of the request body of [PUT /v1/a](#put-v1a).');
  });

  it('when a pattern holds a |, then its table cell escapes it so that the row keeps its columns', () => {
    const markdown = renderApiReference(document({ '/v1/a': { put: withBody(address) } }));
    expect(markdown).to.include('| `zip` | string |  | pattern `^(\\d{5}\\|\\d{9})$` |');
  });

  it('when a route answers the shared errors, then it lists their statuses and the Errors section explains them once', () => {
    const markdown = renderApiReference(
      document({
        '/v1/a': {
          get: {
            tags: ['T'],
            responses: {
              200: { description: 'Fine' },
              404: { description: 'NOT_FOUND', content: { 'application/json': { schema: errorEnvelope } } },
              503: { description: 'UNAVAILABLE: try again', content: { 'application/json': { schema: errorEnvelope } } },
            },
          },
        },
      }),
    );
    expect(markdown).to.include('Errors: 404, 503 (see [Errors](#errors)).');
    expect(markdown).to.include('| 503 | UNAVAILABLE: try again |');
  });

  it('when an answer also comes in another content type by Accept, then the reference names it beside the status', () => {
    const markdown = renderApiReference(
      document({
        '/v1/report': {
          get: {
            tags: ['T'],
            responses: {
              200: {
                description: 'The report',
                content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } },
              },
            },
          },
        },
      }),
    );
    expect(markdown).to.include('**200** (or `text/csv` by Accept) The report: object.');
  });
});
