import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { validationFailed, type ErrorDetail } from '../errors/domain-error.js';
import { parseCalendarDate, parseInstant } from '../time/iso-time.js';
import { RESERVED_KEY_MESSAGE } from '../json/object-keys.js';

/**
 * The time formats of both validator instances (this one and route.ts's, for path and query parameters).
 * Times are read by the service's one parser: ajv-formats' own `date-time` accepts forms (a space for the
 * `T`, `+0800`, leap seconds, any number of fraction digits) that facts, stores and replay do not read, so
 * a request would validate and then be decided with its time silently missing.
 */
export function addTimeFormats(instance: Ajv): Ajv {
  instance.addFormat('date-time', { type: 'string', validate: (text: string) => parseInstant(text) !== undefined });
  instance.addFormat('date', { type: 'string', validate: (text: string) => parseCalendarDate(text) !== undefined });
  return instance;
}

/** The single validator instance for bodies; schemas compile once and are cached by identity. */
export const ajv = addTimeFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }));
addFormats(ajv, ['uri']);
ajv.addFormat('iana-timezone', {
  type: 'string',
  validate: (name: string) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      return true;
    } catch {
      return false;
    }
  },
});
ajv.addKeyword({ keyword: 'x-readonly', schemaType: 'boolean' });

const compiled = new WeakMap<object, ValidateFunction>();

export function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Turns ajv errors into details whose path points at the offending value (or missing key). */
export function toDetails(errors: ErrorObject[] | null | undefined, basePath = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    // The key's own error (below) already points at the key and says what is wrong with it.
    if (error.keyword === 'propertyNames') continue;
    let path = error.instancePath;
    // `not` appears in the schemas only as notReservedKey.
    let message = error.keyword === 'not' ? RESERVED_KEY_MESSAGE : (error.message ?? 'is invalid');
    if (error.propertyName !== undefined) {
      // A key that breaks `propertyNames`: point at the key itself.
      path += `/${escapePointer(error.propertyName)}`;
      message = `key ${message}`;
    } else if (error.keyword === 'additionalProperties') {
      path += `/${escapePointer(String(error.params.additionalProperty))}`;
      message = 'is not an allowed property';
    } else if (error.keyword === 'required') {
      path += `/${escapePointer(String(error.params.missingProperty))}`;
      message = 'is required';
    } else if (error.keyword === 'enum') {
      message = `must be one of: ${(error.params.allowedValues as unknown[]).join(', ')}`;
    }
    const detail = { path: basePath + path, message };
    const key = `${detail.path}\u0000${detail.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      details.push(detail);
    }
  }
  return details;
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Validates `data` against `schema`, throwing a 400 VALIDATION_FAILED that lists every problem. */
export function assertValid<T>(schema: object, data: unknown, what: string, basePath = ''): T {
  const validate = validatorFor(schema);
  if (!validate(data)) throw validationFailed(`${what} is invalid.`, toDetails(validate.errors, basePath));
  return data as T;
}
