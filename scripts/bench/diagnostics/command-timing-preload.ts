/**
 * Loaded into the service with `node --require …/command-timing-preload.js` when the benchmark profiles
 * it (BENCH_CPU_PROFILE=1): times every database command the service sends, by command and collection,
 * and the waits for a pooled connection, and writes the totals to BENCH_COMMAND_TIMING_FILE at exit. It turns on the MongoDB
 * driver's command monitoring for every client made after it loads; the service itself is unchanged.
 */
import fs from 'node:fs';
import * as mongodb from 'mongodb';

interface Totals {
  count: number;
  totalMs: number;
  maxMs: number;
  failed: number;
}

const totals = new Map<string, Totals>();
const file = process.env.BENCH_COMMAND_TIMING_FILE;

function record(key: string, ms: number, failed: boolean): void {
  const entry = totals.get(key) ?? { count: 0, totalMs: 0, maxMs: 0, failed: 0 };
  entry.count += 1;
  entry.totalMs += ms;
  entry.maxMs = Math.max(entry.maxMs, ms);
  if (failed) entry.failed += 1;
  totals.set(key, entry);
}

const targets = new Map<number, string>();
const monitored = new WeakSet<mongodb.MongoClient>();
const connect = mongodb.MongoClient.prototype.connect;

// The driver's `monitorCommands` setter works until the client connects, which is where this hooks in.
mongodb.MongoClient.prototype.connect = function connectMonitored(this: mongodb.MongoClient) {
  if (!monitored.has(this)) {
    monitored.add(this);
    // A public setter of the driver that its type declarations leave out.
    (this as unknown as { monitorCommands: boolean }).monitorCommands = true;
    this.on('commandStarted', (event) => {
      const collection: unknown = event.command[event.commandName];
      targets.set(event.requestId, `${event.commandName} ${typeof collection === 'string' ? collection : ''}`.trim());
    });
    const done = (failed: boolean) => (event: { requestId: number; duration: number; commandName: string }) => {
      record(targets.get(event.requestId) ?? event.commandName, event.duration, failed);
      targets.delete(event.requestId);
    };
    this.on('commandSucceeded', done(false));
    this.on('commandFailed', done(true));
    // The wait for a pooled connection comes before a command is sent: it is not in the command's time.
    this.on('connectionCheckedOut', (event) =>
      record('(wait for a pooled connection)', (event as { durationMS?: number }).durationMS ?? 0, false),
    );
  }
  return connect.call(this);
};

if (file) {
  process.on('exit', () => {
    fs.writeFileSync(file, JSON.stringify(Object.fromEntries(totals), null, 2));
  });
}
