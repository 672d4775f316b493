import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { Logger } from '../logging/logger.js';
import { AppError, RETRY_AFTER_SECONDS } from './app-error.js';
import { answerProtocolRefusals } from './protocol-refusals.js';

/** Once the grace period is over, how long the last answers get to leave before every socket is closed. */
const FINAL_FLUSH_MS = 1000;

export interface HttpListener {
  port: number;
  /**
   * Stops accepting connections and lets the requests in flight finish: each answer, and the answer
   * to any request still arriving on a kept-alive connection, carries `Connection: close`. Past
   * `graceMs`, a request not yet answered gets a 503 (its work may still complete: a decision logged
   * then is returned to a retry with the same Idempotency-Key); a response already streaming is cut.
   */
  drain(graceMs: number): Promise<void>;
}

export async function listen(
  app: RequestListener,
  { port, host, logger }: { port: number; host: string; logger: Logger },
): Promise<HttpListener> {
  const inFlight = new Set<http.ServerResponse>();
  let draining = false;
  // Host is checked by the app, so that a request without one is refused in the error envelope.
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    if (draining) res.setHeader('Connection', 'close');
    app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  answerProtocolRefusals(server, logger);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });

  async function drain(graceMs: number): Promise<void> {
    draining = true;
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let flush: NodeJS.Timeout | undefined;
    const grace = setTimeout(() => {
      if (inFlight.size > 0) logger.warn('requests still in flight after the shutdown grace period', { count: inFlight.size });
      for (const res of inFlight) answerUnavailable(res);
      flush = setTimeout(() => server.closeAllConnections(), FINAL_FLUSH_MS);
    }, graceMs);
    await closed;
    clearTimeout(grace);
    clearTimeout(flush);
  }

  return { port: (server.address() as AddressInfo).port, drain };
}

function answerUnavailable(res: http.ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const refusal = new AppError(503, 'UNAVAILABLE', 'The service is shutting down and this request did not finish in time; retry it.');
  const body = JSON.stringify(refusal.toBody());
  res.writeHead(503, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Retry-After': String(RETRY_AFTER_SECONDS),
    Connection: 'close',
  });
  res.end(body);
}
