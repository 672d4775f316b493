import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajv } from './ajv.js';
import { validationFailed, type ErrorDetail } from '../errors/domain-error.js';
import { RESERVED_KEY_MESSAGE } from '../json/object-keys.js';

const compiled = new WeakMap<object, ValidateFunction>();

/** The document validator of `schema`, compiled on first use and cached by the schema object's identity. */
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
