import winston from 'winston';
import { currentRequestId } from './request-context.js';

export type Logger = winston.Logger;

/** Adds the current request id (when inside a request) to every line. */
const requestIdFormat = winston.format((info) => {
  const requestId = currentRequestId();
  if (requestId !== undefined && info.requestId === undefined) info.requestId = requestId;
  return info;
});

/**
 * Structured JSON logs on stdout. Callers log identifiers of our own making (request ids, key ids,
 * route patterns, counts) and never customer data: no profile ids, names, coordinates or addresses.
 */
export function createLogger(level: string, options: { silent?: boolean } = {}): Logger {
  return winston.createLogger({
    level,
    silent: options.silent ?? false,
    format: winston.format.combine(requestIdFormat(), winston.format.timestamp(), winston.format.json()),
    defaultMeta: { service: 'decisioning' },
    transports: [new winston.transports.Console()],
  });
}
