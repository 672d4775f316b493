import { expect } from 'chai';
import { createHash, randomUUID } from 'node:crypto';
import sinon from 'sinon';
import type { Db } from 'mongodb';
import { startTestApp, bearer, issueKey, openTestDatabase, type TestApp } from '../helpers/test-app.js';
import { editLogEntry, rehashLogEntry, withTampering } from '../helpers/log-entry-editing.js';
import type { Database } from '../../src/db/database.js';
import { UNKEYED } from '../../src/crypto/evidence-key.js';
import { SealStore } from '../../src/features/decisions/seal-store.js';
import { DecisionLogStore } from '../../src/features/decisions/decision-log-store.js';
import { rootHashOf, sealHashOf } from '../../src/features/decisions/seal-hash.js';
import { auditEventHashText } from '../../src/features/audit/audit-event-store.js';

const RESIDENCE = { city: 'Guangzhou', lat: 23.13, lon: 113.26 };
const SEAL_KEY = 'tamper-evidence-test-seal-key-0123456789abcdef';
const FAR = { lat: 39.9, lon: 116.4 };
const HOME = { lat: 23.13, lon: 113.26 };

interface Problem {
  kind: string;
  id: string;
  problem: string;
}

/**
 * Tampering as an insider with write access to the database would do it (but without the seal key,
 * which the database does not hold), each case put back afterwards, so that every test starts from
 * an intact, keyed log.
 */
describe('Tamper evidence against someone who can write the database', () => {
  let app: TestApp;
  let database: Database;
  let db: Db;
  let loanSystem: Record<string, string>;
  let compliance: Record<string, string>;
  let feed: Record<string, string>;
  const ids: Record<string, string[]> = { 'T-1': [], 'T-2': [], 'T-GONE': [] };

  const verify = async (query: Record<string, string | number> = {}) => {
    const res = await app.http().get('/v1/audit/verify').query(query).set(compliance);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { ok: boolean; problems: Problem[]; [field: string]: unknown };
  };
  const problemsOf = (report: { problems: Problem[] }, id: string) => report.problems.filter((p) => p.id === id).map((p) => p.problem);
  const runJob = async (name: string) => (await app.http().post(`/v1/jobs/${name}/run?wait=true`).set(bearer(app.adminKey))).body;
  const decide = async (profileId: string, location: object = HOME) => {
    const res = await app
      .http()
      .post('/v1/decisions')
      .set(loanSystem)
      .send({ profileId, event: { type: 'loan_application', location }, rulesets: ['fraud-alerts'] });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    ids[profileId]!.push(res.body.decisionId);
    return res.body.decisionId as string;
  };
  const head = async () => (await app.http().get('/v1/audit/seals/head').set(compliance)).body as { number: number; hash: string };
  let sealStore: SealStore;
  const seals = () => sealStore;

  before(async () => {
    app = await startTestApp('tamper', {
      DECISION_SEAL_KEY: SEAL_KEY,
      DECISION_SEAL_LAG_MS: '0',
      DECISION_RETENTION_DAYS: '0',
      // Sealed only when a test says so.
      JOB_SEAL_DECISIONS_SCHEDULE: '0 0 1 1 *',
    });
    database = await openTestDatabase(app);
    db = database.connection.db!;
    sealStore = new SealStore(database.connection);
    loanSystem = bearer(await issueKey(app, ['decide'], 'loan-origination'));
    compliance = bearer(await issueKey(app, ['audit:read'], 'compliance'));
    feed = bearer(await issueKey(app, ['profiles:write'], 'crm-feed'));
    for (const id of Object.keys(ids)) {
      await app
        .http()
        .put(`/v1/profiles/${id}`)
        .set(feed)
        .send({ type: 'individual', basic: { residence: RESIDENCE } })
        .expect(201);
    }
    await decide('T-1', FAR);
    await decide('T-1');
    await decide('T-2');
    await decide('T-GONE', FAR);
    expect((await runJob('seal-decisions')).status).to.equal('succeeded');
    await app.http().delete('/v1/profiles/T-GONE').set(feed).expect(204);
    await decide('T-2', FAR);
    await decide('T-1');
    expect((await runJob('seal-decisions')).status).to.equal('succeeded');
  });
  after(async () => {
    await database.close();
    await app.stop();
  });

  it('when nothing was touched, then verify is ok, keyed, and checks every entry and audit event', async () => {
    const report = await verify();
    expect(report.ok, JSON.stringify(report.problems)).to.equal(true);
    expect(report).to.include({ keyed: true, unkeyedSeals: 0, sealsChecked: 2, entriesChecked: 6, unsealedEntries: 0, lastSeal: 2 });
    expect(report.eventsChecked).to.be.above(5);
    const published = await head();
    expect(report.head).to.deep.equal({ number: published.number, hash: published.hash });
  });

  describe('2. an anchor outside the database', () => {
    it('when the head is asked for, then it answers the newest seal: number, keyed hash and time', async () => {
      const res = await app.http().get('/v1/audit/seals/head').set(compliance);
      expect(res.status).to.equal(200);
      expect(res.body.number).to.equal(2);
      expect(res.body.hash).to.match(/^[0-9a-f]{64}$/);
      expect(Date.parse(res.body.sealedAt)).to.be.closeTo(Date.now(), 60_000);
      expect((await app.http().get('/v1/audit/seals/head').set(loanSystem)).status).to.equal(403);
    });

    it('when verify gets a malformed kept head, then 400 pointing at /query/head', async () => {
      for (const bad of ['2', '2:abc', `x:${'a'.repeat(64)}`, `0:${'a'.repeat(64)}`]) {
        const res = await app.http().get('/v1/audit/verify').query({ head: bad }).set(compliance);
        expect(res.status, bad).to.equal(400);
        expect(res.body.error.details[0].path).to.equal('/query/head');
      }
    });

    it('when an insider rewrites a sealed entry and recomputes its hash, the root and the seal without the key, then verify names the seal', async () => {
      await withTampering(
        db,
        ['decision_log', 'decision_seals'],
        () => turnDeclineIntoApprove({ keepKeyedFlag: true }),
        async () => {
          const report = await verify();
          expect(report.ok).to.equal(false);
          expect(problemsOf(report, '1')).to.include(
            'seal content does not match its hash (or it is keyed with a key this instance lacks)',
          );
        },
      );
    });

    it('when the rewritten seal also claims to be unkeyed, then only a kept head tells, and it does', async () => {
      const kept = await head();
      await withTampering(
        db,
        ['decision_log', 'decision_seals'],
        async () => {
          await turnDeclineIntoApprove({ keepKeyedFlag: false });
          await resealWithoutKey(2, undefined, undefined, { keepKeyedFlag: false });
        },
        async () => {
          const report = await verify({ head: `${kept.number}:${kept.hash}` });
          expect(report.ok).to.equal(false);
          expect(problemsOf(report, String(kept.number))).to.deep.equal([
            `seal ${kept.number} differs from the kept head: the chain was rewritten`,
          ]);
          expect(report.unkeyedSeals, 'the downgrade shows as unkeyed seals').to.equal(2);
        },
      );
    });
  });

  describe('1. the chain ends', () => {
    it('when seal 1 is deleted and an entry it covered is edited with a recomputed hash, then verify names the missing seal and the entry', async () => {
      const target = ids['T-1']![1]!;
      await withTampering(
        db,
        ['decision_log', 'decision_seals'],
        async () => {
          await db.collection('decision_seals').deleteOne({ _id: 1 } as never);
          await editLogEntry(db, target, ({ core }) => Object.assign(core, { score: 0 }));
          await rehashLogEntry(db, target);
        },
        async () => {
          const report = await verify();
          expect(report.ok).to.equal(false);
          expect(report.problems).to.deep.include({ kind: 'chain', id: '1', problem: 'seal 1 is missing: the chain has lost its start' });
          expect(problemsOf(report, target)).to.not.be.empty;
        },
      );
    });

    it('when the newest seal is deleted, then a kept head reports the cut, the sealer refuses to seal over it, and its entries become overdue', async () => {
      const kept = await head();
      await withTampering(
        db,
        ['decision_seals'],
        async () => {
          await db.collection('decision_seals').deleteOne({ _id: kept.number } as never);
        },
        async () => {
          const report = await verify({ head: `${kept.number}:${kept.hash}` });
          expect(report.problems).to.deep.include({
            kind: 'chain',
            id: String(kept.number),
            problem: `the kept head, seal ${kept.number}, is missing: the chain was cut`,
          });
          const run = await runJob('seal-decisions');
          expect(run.status).to.equal('failed');
          expect(run.error).to.match(/refused to seal: the newest seal is 1; this instance already saw seal 2/);
          expect(await db.collection('decision_seals').countDocuments({ _id: kept.number } as never), 'nothing was sealed again').to.equal(
            0,
          );
          // Ten minutes on, the entries the deleted seal covered are past the seal lag with no seal.
          const clock = sinon.useFakeTimers({ now: Date.now() + 10 * 60_000, toFake: ['Date'] });
          try {
            const later = await verify();
            expect(problemsOf(later, ids['T-1']![2]!)).to.deep.equal(['overdue: no seal covers it']);
          } finally {
            clock.restore();
          }
        },
      );
    });

    it('when a seal in the middle is missing, then verify names the gap', async () => {
      await withTampering(
        db,
        ['decision_seals'],
        async () => {
          // Seal 2 moved to number 3: the chain has a hole where 2 was.
          const two = await rawSeal(2);
          await db.collection('decision_seals').deleteOne({ _id: 2 } as never);
          await db.collection('decision_seals').insertOne({ ...two, _id: 3 } as never);
        },
        async () => {
          const report = await verify();
          expect(report.problems.some((p) => p.id === '2' && /missing/.test(p.problem))).to.equal(true);
        },
      );
    });
  });

  describe('3. forged erasure masks', () => {
    const maskDirectly = async (decisionId: string, masked: object) => {
      await db.collection('decision_log').updateOne({ _id: decisionId } as never, {
        $set: { personal: null, profileId: null, eventType: null, eventAt: null, masked },
        $unset: { velocitySlot: '', velocityTimes: '' },
      });
    };

    it('when an entry of a customer who still exists is masked in the database, then verify names the forged mask', async () => {
      const erasure = await erasureEventOf(ids['T-GONE']![0]!);
      const [plain, borrowed] = [ids['T-1']![0]!, ids['T-2']![0]!];
      await withTampering(
        db,
        ['decision_log'],
        async () => {
          await maskDirectly(plain, { at: new Date().toISOString(), by: 'x', fields: ['facts'] });
          await maskDirectly(borrowed, { at: new Date().toISOString(), by: 'x', fields: ['facts'], erasure });
        },
        async () => {
          const report = await verify();
          expect(problemsOf(report, plain)).to.deep.equal(['masked without naming an erasure']);
          expect(problemsOf(report, borrowed)).to.deep.equal([`masked by erasure ${erasure}, which erased another subject`]);
        },
      );
    });

    it('when an erasure event is forged for a customer who still exists, then verify refuses it as a mask', async () => {
      const target = ids['T-1']![1]!;
      const subject = JSON.parse((await db.collection('decision_log').findOne({ _id: target } as never))!.core).subject as string;
      const forged = {
        id: randomUUID(),
        type: 'profile.erasure-started',
        actor: { keyId: 'x', name: 'x' },
        at: new Date(),
        subject: { kind: 'profile', id: subject },
        data: {},
      };
      await withTampering(
        db,
        ['decision_log', 'audit_events'],
        async () => {
          const { id, ...rest } = forged;
          await db.collection('audit_events').insertOne({ _id: id, ...rest, hash: sha256(auditEventHashText(forged as never)) } as never);
          await maskDirectly(target, { at: new Date().toISOString(), by: 'x', fields: ['facts'], erasure: forged.id });
        },
        async () => {
          const report = await verify();
          expect(problemsOf(report, target)).to.deep.equal([`masked by erasure ${forged.id}, but the profile still exists`]);
          expect(problemsOf(report, forged.id)).to.deep.equal(['not keyed, after keyed seals']);
        },
      );
    });

    it('when the erasure record is removed or edited, then verify names it and every mask that relied on it', async () => {
      const masked = ids['T-GONE']![0]!;
      const erasure = await erasureEventOf(masked);
      await withTampering(
        db,
        ['audit_events'],
        async () => {
          await db.collection('audit_events').deleteOne({ _id: erasure } as never);
        },
        async () => {
          const report = await verify();
          expect(problemsOf(report, masked)).to.deep.equal([`masked by erasure ${erasure}, which is not on record`]);
          expect(problemsOf(report, erasure)[0]).to.match(/^missing: sealed in seal \d+ but no longer recorded$/);
        },
      );
      await withTampering(
        db,
        ['audit_events'],
        async () => {
          await db.collection('audit_events').updateOne({ _id: erasure } as never, { $set: { 'actor.name': 'someone else' } });
        },
        async () => {
          const report = await verify();
          expect(problemsOf(report, erasure)).to.deep.equal(['content does not match its hash']);
          expect(problemsOf(report, masked)).to.deep.equal([`masked by erasure ${erasure}, whose record does not match its hash`]);
        },
      );
    });
  });

  describe('4. entries outside the chain', () => {
    it('when entries are forged dated in the future and before the first seal, then verify names both, and the future one does not list first unseen', async () => {
      // A copy of a real entry, without the velocity slot (unique) that would give it away at once.
      const {
        velocitySlot: _slot,
        velocityTimes: _times,
        ...template
      } = (await db.collection('decision_log').findOne({ _id: ids['T-2']![0]! } as never))!;
      const forge = async (id: string, createdAt: Date) => {
        const core = { ...JSON.parse(template.core), decisionId: id, createdAt: createdAt.toISOString(), outcome: 'approve' };
        const coreText = canonical(core);
        const hash = sha256(`{"core":${coreText},"personalDigest":${JSON.stringify(template.personalDigest)}}`);
        await db
          .collection('decision_log')
          .insertOne({ ...template, _id: id, core: coreText, createdAt, outcome: 'approve', hash } as never);
      };
      await withTampering(
        db,
        ['decision_log'],
        async () => {
          await forge('dec_forged_future', new Date(Date.now() + 365 * 86_400_000));
          await forge('dec_forged_early', new Date('2020-01-01T00:00:00Z'));
        },
        async () => {
          const listed = await app.http().get('/v1/decisions').query({ limit: 1 }).set(compliance);
          expect(listed.body.items[0].decisionId, 'the forgery lists first: verify is what tells').to.equal('dec_forged_future');
          const report = await verify();
          expect(problemsOf(report, 'dec_forged_future')).to.include.members(['dated in the future', 'not keyed, after keyed seals']);
          expect(problemsOf(report, 'dec_forged_early')).to.deep.equal(['dated before the first seal: no seal covers it']);
        },
      );
    });
  });

  describe('5. the query copies', () => {
    it('when a copy beside an entry is edited, then verify names the copy that differs from the hashed content', async () => {
      const [declined, other] = [ids['T-1']![0]!, ids['T-2']![0]!];
      await withTampering(
        db,
        ['decision_log'],
        async () => {
          await db.collection('decision_log').updateOne({ _id: declined } as never, { $set: { outcome: 'approve', alertCodes: [] } });
          await db.collection('decision_log').updateOne({ _id: other } as never, { $set: { profileId: 'T-1', eventAt: new Date(0) } });
        },
        async () => {
          const report = await verify();
          expect(problemsOf(report, declined)).to.deep.equal(['query copies differ from the hashed content: outcome, alertCodes']);
          expect(problemsOf(report, other)).to.deep.equal(['query copies differ from the hashed content: profileId, eventAt']);
        },
      );
    });
  });

  describe('9. scale', () => {
    it('when verify runs, then it reads entries once per page of seals, never one by one, and a seal range resumes where the last stopped', async () => {
      const scan = sinon.spy(DecisionLogStore.prototype, 'scan');
      const get = sinon.spy(DecisionLogStore.prototype, 'get');
      try {
        const first = await verify({ fromSeal: 1, toSeal: 1 });
        expect(first).to.include({ ok: true, sealsChecked: 1, lastSeal: 1, entriesChecked: 4 });
        const rest = await verify({ fromSeal: (first.lastSeal as number) + 1 });
        expect(rest).to.include({ ok: true, sealsChecked: 1, lastSeal: 2, entriesChecked: 2 });
        expect(scan.callCount, 'one read of the entries per call').to.equal(2);
        expect(get.callCount, 'no read per entry').to.equal(0);
      } finally {
        scan.restore();
        get.restore();
      }
    });
  });

  describe('6. retention', () => {
    it('when retention removes whole seals, then verify is ok from its retirement record; raised or removed, the record is named', async () => {
      await decide('T-2');
      const run = await runJob('retention');
      expect(run.counts).to.include({ decisionsRemoved: 6, throughSeal: 2 });
      expect((await app.http().get(`/v1/decisions/${ids['T-2']![2]}`).set(compliance)).status, 'the unsealed entry stays').to.equal(200);
      const report = await verify();
      expect(report.ok, JSON.stringify(report.problems)).to.equal(true);
      expect(report).to.include({ retiredThroughSeal: 2, unsealedEntries: 1 });

      await withTampering(
        db,
        ['decision_retirements'],
        async () => {
          await db.collection('decision_retirements').updateOne({ _id: 1 } as never, { $set: { throughSeal: 3 } });
        },
        async () => {
          expect(problemsOf(await verify(), '1')).to.include('does not match its hash');
        },
      );
      await withTampering(
        db,
        ['decision_retirements'],
        async () => {
          await db.collection('decision_retirements').deleteMany({});
        },
        async () => {
          const removed = await verify();
          expect(removed.ok).to.equal(false);
          expect(problemsOf(removed, '1')).to.deep.equal(['its entries were removed without a retirement record']);
        },
      );
    });
  });

  /** Turns T-1's first decision (a decline) into an approve, and makes the entry and seal 1 match it again without the key. */
  async function turnDeclineIntoApprove(options: { keepKeyedFlag: boolean }) {
    const target = ids['T-1']![0]!;
    await editLogEntry(db, target, ({ core }) => Object.assign(core, { outcome: 'approve', alerts: [] }));
    await resealWithoutKey(1, target, await rehashLogEntry(db, target), options);
  }

  /** The seal as stored. */
  async function rawSeal(seq: number) {
    return (await db.collection('decision_seals').findOne({ _id: seq } as never))!;
  }

  /** Rewrites a seal with plain SHA-256 (no key), with one entry's new hash, as an insider would. */
  async function resealWithoutKey(
    seq: number,
    entryId: string | undefined,
    entryHash: string | undefined,
    options: { keepKeyedFlag: boolean },
  ) {
    const seal = (await seals().get(seq))!;
    const entries = seal.entries!.map((entry) => (entry.id === entryId ? { id: entry.id, hash: entryHash! } : entry));
    const previous = seq > 1 ? (await seals().header(seq - 1))!.hash : seal.prevHash;
    const rewritten = {
      ...seal,
      entries,
      rootHash: rootHashOf(entries),
      prevHash: previous,
      keyed: options.keepKeyedFlag ? seal.keyed : false,
    };
    const hash = sealHashOf(rewritten, UNKEYED);
    await db.collection('decision_seals').updateOne({ _id: seq } as never, {
      $set: { entries: JSON.stringify(entries), rootHash: rewritten.rootHash, prevHash: previous, keyed: rewritten.keyed, hash },
    });
  }

  /** The audit event of the erasure a masked entry names. */
  async function erasureEventOf(decisionId: string): Promise<string> {
    const doc = await db.collection('decision_log').findOne({ _id: decisionId } as never);
    expect(doc!.masked?.erasure, 'the entry is masked by an erasure').to.be.a('string');
    return doc!.masked.erasure as string;
  }
});

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
