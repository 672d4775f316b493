import autocannon from 'autocannon';

/** One autocannon run against one endpoint, summarised. */
export interface LoadResult {
  seconds: number;
  connections: number;
  /** Answers per second, any status (autocannon's requests/s average). */
  requestsPerSecond: number;
  /** Answers 200 per second: the throughput that counts. */
  okPerSecond: number;
  /** Answers received (any status). */
  responses: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Connection errors (timeouts included, as autocannon counts them) and answers other than 2xx. */
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  answered200: number;
}

/** A load run with the CPU seconds each process used during it (see cpuMeter). */
export type MeteredLoad = LoadResult & { cpuSeconds: Record<string, number | undefined> };

export interface LoadRun {
  result: LoadResult;
  /** X-Request-Id → status of every answer received. */
  statusById: Map<string, number>;
}

export interface LoadSpec {
  url: string;
  path: string;
  headers: Record<string, string>;
  /** JSON bodies, sent in turn. */
  bodies: readonly string[];
  seconds: number;
  connections: number;
  /** Each request carries `X-Request-Id: <idPrefix>-<n>`, so that answers can be matched with log entries. */
  idPrefix: string;
}

export async function runLoad(spec: LoadSpec): Promise<LoadRun> {
  let sent = 0;
  const statusById = new Map<string, number>();
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: spec.path,
        headers: { ...spec.headers, 'Content-Type': 'application/json' },
        setupRequest: (request) => {
          const n = sent;
          sent += 1;
          return {
            ...request,
            body: spec.bodies[n % spec.bodies.length]!,
            headers: { ...request.headers, 'X-Request-Id': `${spec.idPrefix}-${n}` },
          };
        },
        onResponse: (status, _body, _context, headers) => {
          const id = headers['X-Request-Id'] ?? headers['x-request-id'];
          if (typeof id === 'string') statusById.set(id, status);
        },
      },
    ],
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  return {
    statusById,
    result: {
      seconds: spec.seconds,
      connections: spec.connections,
      requestsPerSecond: result.requests.average,
      okPerSecond: (statusCodes['200'] ?? 0) / result.duration,
      responses: result.latency.totalCount,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
        mean: result.latency.mean,
      },
      errors: result.errors + result.non2xx,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      statusCodes,
      answered200: statusCodes['200'] ?? 0,
    },
  };
}
