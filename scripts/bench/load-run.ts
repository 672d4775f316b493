import { type ClientOptions, runClosedLoop } from './closed-loop-client.js';
import { median } from './timing.js';

/** Latencies of the answers of one status. */
export interface StatusLatency {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** One closed-loop run against one endpoint, summarised. */
export interface LoadResult {
  seconds: number;
  connections: number;
  /** Answers per second, any status. */
  requestsPerSecond: number;
  /** Answers 200 per second: the throughput that counts. */
  okPerSecond: number;
  /** Answers received (any status). */
  responses: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Latencies by status, measured per request (from its write to its answer). */
  latencyByStatus: Record<string, StatusLatency>;
  /** Connection errors (timeouts included) and answers other than 2xx. */
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  answered200: number;
  /** Answers 503 without a Retry-After header. */
  unavailableWithoutRetryAfter: number;
  /** Mean size of the bodies of answers 200, in bytes. */
  meanOkBodyBytes: number;
}

/** A load run with the CPU seconds each process used during it (see cpuMeter). */
export type MeteredLoad = LoadResult & { cpuSeconds: Record<string, number | undefined> };

export interface LoadRun {
  result: LoadResult;
  /** X-Request-Id → status of every answer received. */
  statusById: Map<string, number>;
}

/** What to load and how: the client's options, with clients that retry at once unless told to wait Retry-After. */
export type LoadSpec = Omit<ClientOptions, 'honorRetryAfter' | 'timeoutMs'> & { honorRetryAfter?: boolean };

function summarise(latencies: number[]): StatusLatency {
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    p50: median(latencies),
    p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? Number.NaN,
    max: latencies.at(-1) ?? Number.NaN,
  };
}

export async function runLoad(spec: LoadSpec): Promise<LoadRun> {
  const run = await runClosedLoop({ ...spec, honorRetryAfter: spec.honorRetryAfter ?? false });
  const statusById = new Map<string, number>();
  const byStatus = new Map<number, number[]>();
  let okBodyBytes = 0;
  let unavailableWithoutRetryAfter = 0;
  for (const answer of run.answers) {
    statusById.set(answer.id, answer.status);
    if (!byStatus.has(answer.status)) byStatus.set(answer.status, []);
    byStatus.get(answer.status)!.push(answer.ms);
    if (answer.status === 200) okBodyBytes += answer.bytes;
    if (answer.status === 503 && answer.retryAfter === undefined) unavailableWithoutRetryAfter += 1;
  }
  const statusCodes = Object.fromEntries([...byStatus].map(([status, values]) => [String(status), values.length]));
  const answered200 = statusCodes['200'] ?? 0;
  const non2xx = run.answers.filter((answer) => answer.status < 200 || answer.status > 299).length;
  const all = summarise(run.answers.map((answer) => answer.ms));
  return {
    statusById,
    result: {
      seconds: spec.seconds,
      connections: spec.connections,
      requestsPerSecond: run.answers.length / run.seconds,
      okPerSecond: answered200 / run.seconds,
      responses: run.answers.length,
      latencyMs: { p50: all.p50, p99: all.p99, max: all.max },
      latencyByStatus: Object.fromEntries([...byStatus].map(([status, values]) => [String(status), summarise(values)])),
      errors: run.errors + non2xx,
      timeouts: run.timeouts,
      non2xx,
      statusCodes,
      answered200,
      unavailableWithoutRetryAfter,
      meanOkBodyBytes: answered200 > 0 ? okBodyBytes / answered200 : Number.NaN,
    },
  };
}
