import type { FromSchema } from 'json-schema-to-ts';

const countOf = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;

/** What GET /v1/audit/verify answers: the schema the answer is checked against and the report's type. */
export const verifyReportSchema = {
  type: 'object',
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    ok: { type: 'boolean', description: 'false when any entry, event, seal or retirement no longer matches' },
    sealsChecked: countOf('Seals checked'),
    entriesChecked: countOf('Decision log entries checked'),
    eventsChecked: countOf('Audit events checked'),
    unsealedEntries: countOf(
      'Entries logged after the newest seal: not sealed yet, so not yet provable (reported as problems once overdue)',
    ),
    lastSeal: {
      type: ['integer', 'null'],
      description: 'The last seal checked: to go on from there, ask again with fromSeal = lastSeal + 1. Null when no seal was in range',
    },
    head: {
      type: ['object', 'null'],
      properties: { number: { type: 'integer' }, hash: { type: 'string' } },
      required: ['number', 'hash'],
      additionalProperties: false,
      description: 'The newest seal in the database, as GET /v1/audit/seals/head publishes it (null when nothing is sealed)',
    },
    retiredThroughSeal: countOf('Seals whose entries retention removed (1..retiredThroughSeal), by the latest retirement record'),
    keyed: { type: 'boolean', description: 'Whether this instance holds DECISION_SEAL_KEY, so that keyed hashes were checked' },
    unkeyedSeals: countOf('Seals hashed without the key (written before it was configured)'),
    legacyMasks: countOf('Masks on entries logged before subjects existed, which no erasure record can be matched to'),
    problemCount: countOf('How many problems were found; problems lists the first 1,000'),
    problems: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['entry', 'seal', 'event', 'chain', 'retirement'] },
          id: {
            type: 'string',
            description: 'decisionId for an entry, audit event id for an event, seal number for a seal or the chain, retirement number',
          },
          problem: { type: 'string' },
        },
        required: ['kind', 'id', 'problem'],
        additionalProperties: false,
      },
    },
  },
  required: [
    'from',
    'to',
    'ok',
    'sealsChecked',
    'entriesChecked',
    'eventsChecked',
    'unsealedEntries',
    'lastSeal',
    'head',
    'retiredThroughSeal',
    'keyed',
    'unkeyedSeals',
    'legacyMasks',
    'problemCount',
    'problems',
  ],
  additionalProperties: false,
} as const;

export type VerifyReport = FromSchema<typeof verifyReportSchema>;
export type VerifyProblem = VerifyReport['problems'][number];
export type ProblemKind = VerifyProblem['kind'];

const MAX_PROBLEMS = 1000;

/** Collects problems, keeping the first MAX_PROBLEMS: a wholesale forgery must not make the report unbounded. */
export class Problems {
  readonly list: VerifyProblem[] = [];
  count = 0;

  add(kind: ProblemKind, id: string | number, problem: string): void {
    this.count += 1;
    if (this.list.length < MAX_PROBLEMS) this.list.push({ kind, id: String(id), problem });
  }
}
