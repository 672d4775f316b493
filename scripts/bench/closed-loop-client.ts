import net from 'node:net';

/**
 * A closed-loop HTTP/1.1 load generator on raw sockets: each connection sends a request, reads its
 * answer, and sends the next, so that the load is what the server can answer (as autocannon does).
 * Unlike autocannon it records each request's latency with its status, reads the headers the bench
 * checks (Retry-After, X-Request-Id), and can behave as the contract asks a client to: after a 503
 * with Retry-After, that connection waits that long before its next request.
 */
export interface ClientOptions {
  url: string;
  path: string;
  headers: Record<string, string>;
  body: () => string;
  seconds: number;
  connections: number;
  /** Each request carries `X-Request-Id: <idPrefix>-<n>`. */
  idPrefix: string;
  /** After a 503 with Retry-After, wait that long on that connection (a well-behaved client). */
  honorRetryAfter: boolean;
  /** A request unanswered this long counts as a timeout and its connection is replaced. */
  timeoutMs?: number;
}

export interface Answer {
  id: string;
  status: number;
  ms: number;
  bytes: number;
  /** The Retry-After header's seconds, when the answer had one. */
  retryAfter?: number;
}

export interface ClientResult {
  answers: Answer[];
  /** Connections that failed or were cut (timeouts included). */
  errors: number;
  timeouts: number;
  seconds: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('\r\n0\r\n\r\n');

export function runClosedLoop(options: ClientOptions): Promise<ClientResult> {
  const target = new URL(options.url);
  const answers: Answer[] = [];
  let errors = 0;
  let timeouts = 0;
  let sent = 0;
  let running = true;
  const started = performance.now();
  const fixedHeaders = Object.entries({ Host: target.host, 'Content-Type': 'application/json', ...options.headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const timeoutMs = options.timeoutMs ?? 10_000;

  interface Connection {
    socket: net.Socket;
    pending?: { id: string; sentAt: number };
    buffer: Buffer;
  }
  const connections = new Set<Connection>();

  const send = (connection: Connection) => {
    if (!running || connection.socket.destroyed) return;
    const id = `${options.idPrefix}-${sent++}`;
    const body = options.body();
    connection.pending = { id, sentAt: performance.now() };
    connection.socket.write(
      `POST ${options.path} HTTP/1.1\r\n${fixedHeaders}X-Request-Id: ${id}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  };

  /** Parses a whole answer off the front of the buffer, if one is there. */
  const takeAnswer = (connection: Connection): Answer | undefined => {
    const { buffer } = connection;
    const headerEnd = buffer.indexOf(HEADER_END);
    if (headerEnd < 0 || !connection.pending) return undefined;
    const head = buffer.subarray(0, headerEnd).toString('latin1');
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let end: number;
    if (length) {
      end = headerEnd + 4 + Number(length[1]);
      if (buffer.length < end) return undefined;
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const chunkedEnd = buffer.indexOf(CHUNKED_END, headerEnd);
      if (chunkedEnd < 0) return undefined;
      end = chunkedEnd + CHUNKED_END.length;
    } else {
      end = headerEnd + 4;
    }
    connection.buffer = buffer.subarray(end);
    const { id, sentAt } = connection.pending;
    const retryAfter = /\r\nretry-after:\s*(\d+)/i.exec(head);
    connection.pending = undefined;
    return {
      id,
      status: Number(head.slice(9, 12)),
      ms: performance.now() - sentAt,
      bytes: end - headerEnd - 4,
      ...(retryAfter && { retryAfter: Number(retryAfter[1]) }),
    };
  };

  const open = () => {
    const socket = net.connect(Number(target.port), target.hostname);
    socket.setNoDelay(true);
    const connection: Connection = { socket, buffer: Buffer.alloc(0) };
    connections.add(connection);
    socket.on('connect', () => send(connection));
    socket.on('data', (chunk: Buffer) => {
      connection.buffer = connection.buffer.length === 0 ? chunk : Buffer.concat([connection.buffer, chunk]);
      for (let answer = takeAnswer(connection); answer; answer = takeAnswer(connection)) {
        if (!running) return;
        answers.push(answer);
        if (options.honorRetryAfter && answer.status === 503 && answer.retryAfter !== undefined) {
          setTimeout(() => send(connection), answer.retryAfter * 1000).unref();
        } else send(connection);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      connections.delete(connection);
      if (!running) return;
      errors += 1;
      setTimeout(open, 10).unref();
    });
  };

  for (let i = 0; i < options.connections; i++) open();
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const connection of connections) {
      if (connection.pending && now - connection.pending.sentAt > timeoutMs) {
        timeouts += 1;
        connection.socket.destroy();
      }
    }
  }, 500);

  return new Promise((resolve) => {
    setTimeout(() => {
      running = false;
      clearInterval(watchdog);
      for (const connection of connections) connection.socket.destroy();
      resolve({ answers, errors, timeouts, seconds: (performance.now() - started) / 1000 });
    }, options.seconds * 1000);
  });
}
