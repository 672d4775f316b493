import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { connectDatabase, type Database } from '../../src/db/database.js';
import { startEmbeddedMongo } from '../../src/db/embedded-mongo.js';
import { DomainError } from '../../src/errors/domain-error.js';
import { toAppError } from '../../src/http/error-handler.js';
import { DecisionLogStore } from '../../src/features/decisions/decision-log-store.js';
import { DecisionLogWriter, LogWriteRefused } from '../../src/features/decisions/decision-log-writer.js';
import { sealableRecord, type DecisionCore, type LoggableRecord } from '../../src/features/decisions/decision-record.js';
import { freshDbName } from '../helpers/test-app.js';
import { UNKEYED } from '../../src/crypto/evidence-key.js';

function record(decisionId: string, padding = ''): LoggableRecord {
  const core: DecisionCore = {
    decisionId,
    createdAt: '2026-11-21T00:00:00.000Z',
    evaluatedAt: '2026-11-21T00:00:00.000Z',
    requestId: `req-${decisionId}`,
    caller: { keyId: 'k', name: 'writer-test' },
    rulesets: [],
    engine: { name: 'test', version: '0' },
    outcome: 'approve',
    score: 0,
    tags: [],
    tagSources: [],
    firedRules: [],
    products: [],
    alerts: [],
    timings: { totalMs: 0, factsMs: 0, evaluateMs: 0 },
  };
  const personal = {
    profileId: 'W-1',
    request: { profileId: 'W-1', event: { type: 'login', at: core.evaluatedAt } },
    facts: { absent: undefined, ...(padding && { padding }) },
    explanations: [],
    messages: {},
  };
  return sealableRecord(core, personal, null, UNKEYED);
}

/** The writer refuses with a domain error; this is what the HTTP layer answers for it. */
function answerTo(refusal: unknown) {
  expect(refusal).to.be.instanceOf(DomainError);
  return toAppError(refusal);
}

describe('DecisionLogWriter', () => {
  let database: Database;
  let store: DecisionLogStore;

  before(async () => {
    database = await connectDatabase(process.env.MONGODB_URI!, freshDbName('logwriter'));
    store = new DecisionLogStore(database.connection);
    await store.init();
  });
  afterEach(() => sinon.restore());
  after(async () => {
    await database.connection.dropDatabase();
    await database.close();
  });

  it('when many entries arrive together, then they go in a few inserts, one at a time, and every one is stored', async () => {
    let inFlight = 0;
    let overlapped = false;
    const real = store.insertMany.bind(store);
    const insertMany = sinon.stub(store, 'insertMany').callsFake(async (records) => {
      inFlight += 1;
      if (inFlight > 1) overlapped = true;
      try {
        return await real(records);
      } finally {
        inFlight -= 1;
      }
    });
    const writer = new DecisionLogWriter(store);
    const ids = Array.from({ length: 60 }, (_, i) => `dec_writer_${i}`);
    await Promise.all(ids.map((id) => writer.write(record(id))));
    const calls = insertMany.callCount;
    expect(calls).to.be.within(1, 10);
    expect(overlapped).to.equal(false);
    for (const id of ids) expect(await store.get(id), id).to.not.equal(undefined);
  });

  it('when one entry of a batch is refused, then only its writer is told, with the database code', async () => {
    const writer = new DecisionLogWriter(store);
    const results = await Promise.allSettled([writer.write(record('dec_writer_new')), writer.write(record('dec_writer_0'))]);
    expect(results[0].status).to.equal('fulfilled');
    expect(results[1].status).to.equal('rejected');
    expect((results[1] as PromiseRejectedResult).reason)
      .to.be.instanceOf(LogWriteRefused)
      .and.include({ code: 11000 });
  });

  it('reads back an entry with exactly the content its hash covers (absent values dropped)', async () => {
    const logged = await store.get('dec_writer_1');
    expect(logged!.personal!.facts).to.deep.equal({});
    expect(logged!.hash).to.equal(record('dec_writer_1').hash);
  });

  it('when the decision of a queued entry runs out of budget before its insert, then it is dropped; an entry already inside an insert lands', async () => {
    const writer = new DecisionLogWriter(store);
    const late = new AbortController();
    const kept = writer.write(record('dec_abort_kept'));
    const dropped = writer.write(record('dec_abort_dropped'), late.signal).then(
      () => undefined,
      (error: Error) => error,
    );
    late.abort(new Error('budget'));
    await kept;
    const refusal = await dropped;
    expect(refusal?.message).to.equal('budget');
    expect(await store.get('dec_abort_kept')).to.exist;
    expect(await store.get('dec_abort_dropped')).to.equal(undefined);

    const real = store.insertMany.bind(store);
    let insertStarted!: () => void;
    const started = new Promise<void>((resolve) => (insertStarted = resolve));
    sinon.stub(store, 'insertMany').callsFake(async (records) => {
      insertStarted();
      return real(records);
    });
    const inFlight = new AbortController();
    const landing = writer.write(record('dec_abort_in_flight'), inFlight.signal);
    await started;
    inFlight.abort(new Error('budget'));
    await landing;
    expect(await store.get('dec_abort_in_flight'), 'an insert under way is not recalled').to.exist;
  });

  describe('when the database fails under a batch', () => {
    it('when the answer to a batch is lost, then each entry counts as written only if reading it back by id finds it with its own hash', async () => {
      const landed = record('dec_doubt_landed');
      const lost = record('dec_doubt_lost');
      const taken = record('dec_doubt_taken');
      // Another entry already holds this id (a concurrent retry that logged first).
      await store.insertMany([{ ...record('dec_doubt_taken'), hash: 'f'.repeat(64) }]);
      // The database stores only the first entry, and its answer never arrives: all three are in doubt.
      sinon.stub(store, 'insertMany').callsFake(async (records) => {
        await database.connection
          .collection('decision_log')
          .insertOne({ _id: records[0]!.core.decisionId as never, hash: records[0]!.hash });
        return { refused: new Map(), inDoubt: records.map((_, index) => index), readBackConfirms: true, cause: 'connection closed' };
      });
      const writer = new DecisionLogWriter(store);
      const [written, absent, other] = await Promise.allSettled([writer.write(landed), writer.write(lost), writer.write(taken)]);
      expect(written.status).to.equal('fulfilled');
      expect(absent.status).to.equal('rejected');
      expect(answerTo((absent as PromiseRejectedResult).reason)).to.include({ status: 503, code: 'UNAVAILABLE' });
      expect(other.status).to.equal('rejected');
      expect((other as PromiseRejectedResult).reason)
        .to.be.instanceOf(LogWriteRefused)
        .and.include({ code: 11000 });
    });

    it('when the database is known to be down, then a batch fails at once with 503 and nothing is sent', async () => {
      const insertMany = sinon.spy(store, 'insertMany');
      const writer = new DecisionLogWriter(store, { unavailableReason: () => 'the embedded database process was killed by SIGKILL' });
      const started = Date.now();
      const result = await writer.write(record('dec_doubt_down')).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(answerTo(result)).to.include({ status: 503 });
      expect(Date.now() - started).to.be.below(100);
      expect(insertMany.callCount).to.equal(0);
    });

    it('when the database process is killed while a batch is written, then no entry is reported written that is not in the log', async function () {
      if (process.env.TEST_EMBEDDED !== '1') this.skip();
      this.timeout(60_000);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'writer-kill-'));
      const quiet = { info: () => undefined };
      const first = await startEmbeddedMongo(dataDir, quiet);
      const killed = await connectDatabase(first.uri, 'writerkill');
      const killedStore = new DecisionLogStore(killed.connection);
      await killedStore.init();
      // Kill the database 30 ms into the insert of ~6 MB: it is surely still writing.
      const real = killedStore.insertMany.bind(killedStore);
      sinon.stub(killedStore, 'insertMany').callsFake((records) => {
        setTimeout(() => process.kill(first.pid, 'SIGKILL'), 30);
        return real(records);
      });
      const writer = new DecisionLogWriter(killedStore);
      const ids = Array.from({ length: 200 }, (_, i) => `dec_kill_${i}`);
      const outcomes = await Promise.allSettled(ids.map((id) => writer.write(record(id, 'x'.repeat(30_000)))));
      await first.exited;
      await killed.close();

      const second = await startEmbeddedMongo(dataDir, quiet, { port: first.port });
      const reopened = await connectDatabase(second.uri, 'writerkill');
      try {
        const readBack = new DecisionLogStore(reopened.connection);
        const reportedWritten = ids.filter((_, i) => outcomes[i]!.status === 'fulfilled');
        const missing: string[] = [];
        for (const id of reportedWritten) if ((await readBack.storedHash(id)) === undefined) missing.push(id);
        expect(missing, 'reported written but not in the log').to.deep.equal([]);
        expect(reportedWritten.length, 'the kill came before the batch was acknowledged').to.be.below(ids.length);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect(answerTo(outcome.reason)).to.include({ status: 503 });
        }
      } finally {
        await reopened.close();
        await second.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
