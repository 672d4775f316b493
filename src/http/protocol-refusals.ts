import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../logging/logger.js';
import { AppError } from './app-error.js';

/** A refusal Node's HTTP server makes before any route runs, as the contract's envelope describes it. */
function refusalOf(error: NodeJS.ErrnoException & { reason?: string }): AppError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError(431, 'HEADERS_TOO_LARGE', `The request headers are larger than ${Math.floor(http.maxHeaderSize / 1024)} KB.`);
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request carries oversized chunk extensions.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError(408, 'REQUEST_TIMEOUT', 'The request did not arrive in time.');
    default:
      return new AppError(400, 'VALIDATION_FAILED', `The request is not valid HTTP/1.1${error.reason ? `: ${error.reason}` : ''}.`);
  }
}

/** A whole HTTP/1.1 response in the envelope, for sockets no ServerResponse exists for. */
function rawResponse(refusal: AppError): string {
  const body = JSON.stringify(refusal.toBody());
  return (
    `HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status]}\r\n` +
    `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

function answer(res: http.ServerResponse, refusal: AppError): void {
  const body = JSON.stringify(refusal.toBody());
  res.writeHead(refusal.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  });
  res.end(body);
}

/**
 * Node answers some requests itself, before Express sees them, with an empty body: malformed
 * request lines and headers (400), oversized headers (431), slow requests (408), an unsupported
 * `Expect` (417), `CONNECT` (no answer at all). These handlers give each the contract's envelope.
 * (A missing Host header is let through to Express by the server options, see requireHostHeader.)
 */
export function answerProtocolRefusals(server: http.Server, logger: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException & { reason?: string }, socket: Duplex) => {
    const pending = (socket as Duplex & { _httpMessage?: http.ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || pending?.headersSent) {
      socket.destroy();
      return;
    }
    const refusal = refusalOf(error);
    logger.debug('malformed request refused', { status: refusal.status, code: error.code });
    socket.end(rawResponse(refusal));
  });
  server.on('checkExpectation', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    answer(res, new AppError(417, 'EXPECTATION_FAILED', 'Only "Expect: 100-continue" is supported.'));
  });
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => {
    socket.end(rawResponse(new AppError(405, 'METHOD_NOT_ALLOWED', 'CONNECT is not supported.')));
  });
}

/** HTTP/1.1 requires a Host header; the server lets requests without one through so that this answers in the envelope. */
export function requireHostHeader() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const needsHost = req.httpVersionMajor === 1 && req.httpVersionMinor === 1;
    if (needsHost && req.headers.host === undefined)
      return next(new AppError(400, 'VALIDATION_FAILED', 'An HTTP/1.1 request must carry a Host header.'));
    next();
  };
}
