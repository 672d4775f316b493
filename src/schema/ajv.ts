import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parseCalendarDate, parseInstant } from '../time/iso-time.js';

/**
 * The time formats of both validator instances. Times are read by the service's one parser: ajv-formats'
 * own `date-time` accepts forms (a space for the `T`, `+0800`, leap seconds, any number of fraction digits)
 * that facts, stores and replay do not read, so a request would validate and then be decided with its
 * time silently missing.
 */
function addTimeFormats(instance: Ajv): Ajv {
  instance.addFormat('date-time', { type: 'string', validate: (text: string) => parseInstant(text) !== undefined });
  instance.addFormat('date', { type: 'string', validate: (text: string) => parseCalendarDate(text) !== undefined });
  return instance;
}

/** The validator of documents (request bodies, rules, shipped files); schemas compile once, see validatorFor(). */
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

/** Path and query parameters arrive as strings: this instance coerces them to the schema's types. */
export const parametersAjv = addTimeFormats(new Ajv({ allErrors: true, strict: true, coerceTypes: true, useDefaults: true }));
