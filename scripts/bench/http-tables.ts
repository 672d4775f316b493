import type { HttpResults, ServerRun } from './http-bench.js';
import { serviceProfileTables } from './diagnostics/service-profiling.js';
import type { MeteredLoad } from './load-run.js';
import { fmt, percent, type Table } from './table.js';

/** The run of `server` on `set` at `connections`, if it was made. */
export function findRun(
  results: HttpResults,
  server: ServerRun['server'],
  set: ServerRun['set'],
  connections: number,
  honorRetryAfter: boolean,
): ServerRun | undefined {
  return results.runs.find(
    (run) => run.server === server && run.set === set && run.connections === connections && run.honorRetryAfter === honorRetryAfter,
  );
}

/** CPU milliseconds a process spent per answer 200 during a run. */
export function cpuMsPerOk(load: MeteredLoad, process: string): number {
  const seconds = load.cpuSeconds[process];
  return seconds === undefined || load.answered200 === 0 ? Number.NaN : (seconds * 1000) / load.answered200;
}

const SERVER_NAMES: Record<ServerRun['server'], string> = {
  ours: 'decision service (ours)',
  naive: 'naive: Express + mongoose + json-rules-engine',
  'hello-world': 'Express hello-world',
};

export function httpTables(results: HttpResults): Table[] {
  const hello = (connections: number) => findRun(results, 'hello-world', '-', connections, false)?.load.okPerSecond;
  const ms = (value: number | undefined) => fmt(value, 1);
  const row = (run: ServerRun) => {
    const { load } = run;
    const unavailable = load.latencyByStatus['503'];
    const others = Object.entries(load.statusCodes)
      .filter(([code]) => code !== '200' && code !== '503')
      .map(([code, count]) => `${code}×${count}`);
    return [
      SERVER_NAMES[run.server],
      run.set === '-'
        ? '-'
        : run.set === 'hot'
          ? `hot (${results.hotProfiles.toLocaleString('en-US')})`
          : `cold (${results.profiles.toLocaleString('en-US')})`,
      `${run.connections}${run.honorRetryAfter ? ' (wait Retry-After)' : ''}`,
      fmt(load.okPerSecond),
      percent(load.okPerSecond / (hello(run.connections) ?? Number.NaN)),
      ms(load.latencyByStatus['200']?.p50),
      ms(load.latencyByStatus['200']?.p99),
      unavailable
        ? `${unavailable.count} (p99 ${ms(unavailable.p99)} ms${load.unavailableWithoutRetryAfter > 0 ? `, ${load.unavailableWithoutRetryAfter} without Retry-After` : ''})`
        : '0',
      [...others, ...(load.errors - load.non2xx > 0 ? [`errors×${load.errors - load.non2xx}`] : [])].join(' ') || '0',
      run.server === 'hello-world' ? '-' : fmt(cpuMsPerOk(load, 'service'), 2),
      run.server === 'hello-world' ? '-' : fmt(cpuMsPerOk(load, 'database'), 2),
    ];
  };
  const ourRuns = results.runs.filter((run) => run.server === 'ours');
  const ours32 = findRun(results, 'ours', 'hot', ourRuns[0]?.connections ?? 32, false);
  const naive32 = findRun(results, 'naive', 'hot', ourRuns[0]?.connections ?? 32, false);
  const kb = (bytes: number | undefined) => (bytes === undefined || Number.isNaN(bytes) ? 'n/a' : `${(bytes / 1024).toFixed(1)} KB`);
  return [
    {
      title: `HTTP: POST /v1/decisions, reference workload (4 shipped rulesets, half the events loan applications), closed-loop clients, ${ourRuns[0]?.load.seconds ?? '?'} s a run`,
      columns: [
        'server',
        'profiles',
        'connections',
        '200/s',
        'vs hello-world',
        '200: p50 ms',
        '200: p99 ms',
        '503 (p99)',
        'other non-2xx',
        'service CPU ms/200',
        'database CPU ms/200',
      ],
      rows: results.runs.map(row),
      notes: [
        ...ourRuns.map(({ set, connections, honorRetryAfter, audit }) =>
          audit
            ? `log audit, ours ${set} ${connections}${honorRetryAfter ? ' (wait Retry-After)' : ''}: ${audit.answered200} answered 200, ${audit.answered200NotLogged} of them without a log entry; ${audit.logged} entries for the run (${audit.loggedAnsweredOther} answered another status, ${audit.loggedInFlightAtEnd} in flight at the end); decide use case p50 ${fmt(audit.serverTimingsMs.total.p50, 2)} / p99 ${fmt(audit.serverTimingsMs.total.p99, 2)} ms`
            : `log audit, ours ${set} ${connections}${honorRetryAfter ? ' (wait Retry-After)' : ''}: none`,
        ),
        `profiles seeded with the raw driver in ${fmt(results.seedSeconds, 1)} s; the hot set is the first ${results.hotProfiles.toLocaleString('en-US')}, the cold one all ${results.profiles.toLocaleString('en-US')}, each picked uniformly; ${results.events} events, every other one a loan application`,
        '"vs hello-world": 200/s against the hello-world at the same connections; CPU from /proc/<pid>/stat (utime + stime) of each process before and after the run, per answer 200',
        'latencies per request, from its write to its answer; "503 (p99)": answers 503 and their p99 (ours: refused by admission control at once, or a budget overrun)',
        'the naive service logs no velocity history and has no budget; its cold run is at the first connection count only',
        '"(wait Retry-After)": each client waits the Retry-After of a 503 before its next request on that connection, as the contract asks; otherwise every client sends its next request at once (closed loop)',
        ...(results.decisionsWithoutHistory
          ? [
              `diagnostic, ours without fraud-alerts (no applicationsLast24h), hot: ${fmt(results.decisionsWithoutHistory.okPerSecond)} answered 200 per second, p99 ${ms(results.decisionsWithoutHistory.latencyByStatus['200']?.p99)} ms`,
            ]
          : []),
      ],
    },
    {
      title: 'What a decision weighs: the answer and the stored log entry',
      columns: ['server', 'answer 200 (JSON)', 'stored log entry (BSON)'],
      rows: [
        [SERVER_NAMES.ours, kb(ours32?.load.meanOkBodyBytes), kb(results.logEntryBytes.ours)],
        [SERVER_NAMES.naive, kb(naive32?.load.meanOkBodyBytes), kb(results.logEntryBytes.naive)],
      ],
      notes: ['answers: the mean of the hot run at the first connection count; log entries: the mean of the first 300 stored'],
    },
    ...(results.serviceProfile ? serviceProfileTables('the service (start-up, warm-up and runs)', results.serviceProfile) : []),
  ];
}
