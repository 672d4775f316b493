import { rowsTable, schemaRows, shapeRegistry, typeOf, notesOf, type JsonSchema, type ShapeRegistry } from './schema-table.js';

/** The parts of an OpenAPI 3.1 document this reference reads. */
export interface OpenApiDocument {
  info: { title: string; description?: string };
  components?: { schemas?: Record<string, JsonSchema> };
  paths: Record<string, Record<string, Operation>>;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

interface Endpoint {
  method: string;
  path: string;
  operation: Operation;
}

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];
const ERROR_REF = '#/components/schemas/Error';

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
export function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

const title = ({ method, path }: Endpoint): string => `${method.toUpperCase()} ${path}`;
const link = (endpoint: Endpoint): string => `[${title(endpoint)}](#${anchor(title(endpoint))})`;

/** Sorted by tag, then path, then method: the same text whatever order the routes were registered in. */
function endpointsByTag(document: OpenApiDocument): Map<string, Endpoint[]> {
  const endpoints = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({ method, path, operation })),
  );
  endpoints.sort(
    (a, b) =>
      compare(a.operation.tags?.[0] ?? '', b.operation.tags?.[0] ?? '') ||
      compare(a.path, b.path) ||
      METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method),
  );
  const byTag = new Map<string, Endpoint[]>();
  for (const endpoint of endpoints) {
    const tag = endpoint.operation.tags?.[0] ?? 'Other';
    byTag.set(tag, [...(byTag.get(tag) ?? []), endpoint]);
  }
  return byTag;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Who may call: no key, any valid key, or the roles the route names (admin holds every role). */
export function access(operation: Operation): string {
  if (Array.isArray(operation.security) && operation.security.length === 0) return 'no key';
  const roles = /^Roles: (.+) \(or admin\)\.$/.exec(operation.description ?? '');
  if (roles) {
    const named = roles[1].split(', ').filter((role) => role !== 'admin');
    return [...named, 'admin'].map((role) => `\`${role}\``).join(' or ');
  }
  return operation.description ?? 'any valid key';
}

function isSharedError(response: Operation['responses'][string]): boolean {
  return response.content?.['application/json']?.schema?.$ref === ERROR_REF;
}

/** Each error status's description as the first route (in reference order) gives it. */
function errorDescriptions(byTag: Map<string, Endpoint[]>): Map<string, string> {
  const descriptions = new Map<string, string>();
  for (const endpoints of byTag.values()) {
    for (const { operation } of endpoints) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (isSharedError(response) && !descriptions.has(status)) descriptions.set(status, response.description ?? '');
      }
    }
  }
  return new Map([...descriptions].sort(([a], [b]) => Number(a) - Number(b)));
}

function parametersSection(operation: Operation): string[] {
  const parameters = operation.parameters ?? [];
  if (parameters.length === 0) return [];
  const lines = ['Parameters:', '', '| name | in | type | required | notes |', '|---|---|---|---|---|'];
  for (const parameter of parameters) {
    const schema = parameter.schema ?? {};
    const notes = [...notesOf(schema, { request: true }), ...(parameter.description ? [parameter.description] : [])];
    const cells = [`\`${parameter.name}\``, parameter.in, typeOf(schema), parameter.required ? 'yes' : '', notes.join('; ')];
    lines.push(`| ${cells.map((text) => text.replace(/\|/g, '\\|')).join(' | ')} |`);
  }
  return [...lines, ''];
}

/** One body or answer: its fields as a table, or a pointer to the first place that showed the same shape. */
function shapeSection(label: string, schema: JsonSchema | undefined, place: string, shapes: ShapeRegistry, request: boolean): string[] {
  if (!schema) return [`${label}.`, ''];
  const first = shapes.firstPlace(schema, place, request);
  if (first !== undefined) return [`${label}, with the fields of ${first}.`, ''];
  const table = rowsTable(schemaRows(schema, { request, shapes, place }));
  if (table) return [`${label}:`, '', table, ''];
  return [`${label}: ${typeOf(schema)}.`, ''];
}

function endpointSection(endpoint: Endpoint, errors: Map<string, string>, shapes: ShapeRegistry): string[] {
  const { operation } = endpoint;
  const lines = [`### ${title(endpoint)}`, '', `${operation.summary ?? ''}`, '', `Access: ${access(operation)}.`, ''];
  lines.push(...parametersSection(operation));
  const body = operation.requestBody;
  if (body) {
    const [contentType, content] = Object.entries(body.content)[0] ?? ['application/json', {}];
    const label = `Request body (\`${contentType}\`${body.required ? '' : ', optional'})`;
    lines.push(...shapeSection(label, content.schema, `the request body of ${link(endpoint)}`, shapes, true));
  }
  const shared: string[] = [];
  const statuses = Object.keys(operation.responses).sort((a, b) => Number(a) - Number(b));
  for (const status of statuses) {
    const response = operation.responses[status];
    if (isSharedError(response) && errors.get(status) === response.description) {
      shared.push(status);
      continue;
    }
    const [[contentType, content] = [undefined, undefined], ...alternatives] = Object.entries(response.content ?? {});
    const type = contentType && contentType !== 'application/json' ? ` (\`${contentType}\`)` : '';
    const also = alternatives.length > 0 ? ` (or ${alternatives.map(([other]) => `\`${other}\``).join(', ')} by Accept)` : '';
    const label = `**${status}**${type}${also} ${response.description ?? ''}`.trimEnd();
    lines.push(...shapeSection(label, content?.schema, `the ${status} answer of ${link(endpoint)}`, shapes, false));
  }
  if (shared.length > 0) lines.push(`Errors: ${shared.join(', ')} (see [Errors](#errors)).`, '');
  return lines;
}

/** The reference as Markdown: an index, the error envelope, then every endpoint by tag. */
export function renderApiReference(document: OpenApiDocument): string {
  const byTag = endpointsByTag(document);
  const errors = errorDescriptions(byTag);
  const shapes = shapeRegistry();
  const lines = [
    `# ${document.info.title}: API reference`,
    '',
    "<!-- Generated by `npm run docs:api` from the service's OpenAPI document (GET /openapi.json). Do not edit by hand. -->",
    '',
    `${document.info.description ?? ''}`,
    '',
    'Every call but the public ones sends `Authorization: Bearer <key>`; a key with the `admin` role may call every',
    'endpoint. Request bodies are JSON and refuse fields they do not list unless a row says "other fields allowed";',
    'answers may gain fields. Times are ISO-8601 date-times with an offset or `Z`.',
    '',
    '## Endpoints',
    '',
    '| endpoint | what it does | access |',
    '|---|---|---|',
  ];
  for (const endpoints of byTag.values()) {
    for (const endpoint of endpoints) {
      lines.push(`| ${link(endpoint)} | ${(endpoint.operation.summary ?? '').replace(/\|/g, '\\|')} | ${access(endpoint.operation)} |`);
    }
  }
  lines.push('', '## Errors', '', 'Every error is answered in this envelope (`details` may be empty):', '');
  const envelope = document.components?.schemas?.Error;
  if (envelope) lines.push(rowsTable(schemaRows(envelope, { request: false, shapes, place: 'the error envelope' })) ?? '', '');
  lines.push('| status | meaning |', '|---|---|');
  for (const [status, description] of errors) lines.push(`| ${status} | ${description} |`);
  lines.push('');
  for (const [tag, endpoints] of byTag) {
    lines.push(`## ${tag}`, '');
    for (const endpoint of endpoints) lines.push(...endpointSection(endpoint, errors, shapes));
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
