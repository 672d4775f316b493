import { expect } from 'chai';
import { startTestApp, bearer, issueKey, type TestApp } from '../helpers/test-app.js';
import { fixture } from '../helpers/fixtures.js';

/** Polls until `check` holds (or the time runs out): lists reach other instances by polling. */
async function within<T>(ms: number, read: () => Promise<T>, check: (value: T) => boolean): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() - started > ms) return { value, ms: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const application = (deviceId: string) => ({
  type: 'loan_application',
  amount: 20000,
  location: { lat: 23.12, lon: 113.32 },
  deviceId,
});

describe('Lists', () => {
  let app: TestApp;
  let other: TestApp;
  let publisher: Record<string, string>;
  let editor: Record<string, string>;
  let reader: Record<string, string>;
  let decider: Record<string, string>;

  before(async () => {
    // A roomy budget: this file's machine also builds 100,000-item lists while it decides.
    const roomy = { DECISION_TIMEOUT_MS: '5000' };
    app = await startTestApp('lists', roomy);
    other = await startTestApp('lists', { ...roomy, MONGODB_DB: app.config.mongodbDb, BOOTSTRAP_ADMIN_KEY: app.adminKey });
    publisher = bearer(await issueKey(app, ['rules:publish'], 'fraud-lead'));
    editor = bearer(await issueKey(app, ['rules:edit'], 'analyst'));
    reader = bearer(await issueKey(app, ['profiles:read'], 'marketing'));
    decider = bearer(await issueKey(app, ['decide', 'audit:read'], 'loans'));
    await app.http().put('/v1/profiles/C-LIST').set(bearer(app.adminKey)).send(fixture('profiles/individual-guangzhou.json')).expect(201);
  });
  after(async () => {
    await other?.stop();
    await app?.stop();
  });

  it('when the service starts, then blocked-devices exists and is empty', async () => {
    const res = await app.http().get('/v1/lists').set(reader);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const shipped = (res.body.items as { id: string; size: number }[]).find((list) => list.id === 'blocked-devices');
    expect(shipped?.size).to.equal(0);
  });

  it('when a publisher PUTs a new list and again, then the first is 201, the second 200, and GET pages its sorted items', async () => {
    const created = await app
      .http()
      .put('/v1/lists/phones')
      .set(publisher)
      .send({ description: 'phones', items: ['b', 'a', 'c', 'a'] });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.include({ id: 'phones', size: 3, description: 'phones' });
    const replaced = await app
      .http()
      .put('/v1/lists/phones')
      .set(publisher)
      .send({ description: 'phone numbers', items: ['x3', 'x1', 'x2'] });
    expect(replaced.status).to.equal(200);
    const first = await app.http().get('/v1/lists/phones?limit=2').set(reader).expect(200);
    expect(first.body.items).to.deep.equal(['x1', 'x2']);
    expect(first.body.description).to.equal('phone numbers');
    const second = await app.http().get(`/v1/lists/phones?limit=2&cursor=${first.body.nextCursor}`).set(reader).expect(200);
    expect(second.body).to.include({ nextCursor: null, matching: 3 });
    expect(second.body.items).to.deep.equal(['x3']);
    const searched = await app.http().get('/v1/lists/phones?q=2').set(reader).expect(200);
    expect(searched.body.items).to.deep.equal(['x2']);
  });

  it('when the lists are read with limit and cursor, then they come by id, page by page, each once; a limit over 500 or a forged cursor is a 400', async () => {
    for (const id of ['pg-c', 'pg-a', 'pg-b']) {
      await app.http().put(`/v1/lists/${id}`).set(publisher).send({ description: id, items: [] }).expect(201);
    }
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${cursor}`;
      const page = await app.http().get(`/v1/lists${query}`).set(reader).expect(200);
      expect(page.body.items.length).to.be.at.most(2);
      ids.push(...(page.body.items as { id: string }[]).map((list) => list.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(ids).to.deep.equal([...new Set(ids)].sort());
    expect(ids).to.include.members(['pg-a', 'pg-b', 'pg-c', 'blocked-devices']);
    const all = await app.http().get('/v1/lists').set(reader).expect(200);
    expect(all.body.items.map((list: { id: string }) => list.id)).to.deep.equal(ids);
    expect((await app.http().get('/v1/lists?limit=501').set(reader)).status).to.equal(400);
    expect((await app.http().get('/v1/lists?cursor=bm90LWEtY3Vyc29y').set(reader)).status).to.equal(400);
  });

  it('when a key without rules:publish changes a list, then it is 403, and an unknown list is 404', async () => {
    await app
      .http()
      .post('/v1/lists/phones/items')
      .set(editor)
      .send({ items: ['y'] })
      .expect(403);
    await app
      .http()
      .post('/v1/lists/no-such/items')
      .set(publisher)
      .send({ items: ['y'] })
      .expect(404);
    await app.http().get('/v1/lists/no-such').set(reader).expect(404);
    await app.http().delete('/v1/lists/phones/items/not-there').set(publisher).expect(404);
  });

  it('when items are added and one removed, then each change is an audit event with the revision', async () => {
    const added = await app
      .http()
      .post('/v1/lists/phones/items')
      .set(publisher)
      .send({ items: ['x1', 'x9'] });
    expect(added.status, JSON.stringify(added.body)).to.equal(200);
    expect(added.body).to.include({ size: 4, changed: 1 });
    await app.http().delete('/v1/lists/phones/items/x9').set(publisher).expect(204);
    const audit = await app.http().get('/v1/audit/events?limit=500').set(bearer(app.adminKey)).expect(200);
    const types = (audit.body.items as { type: string; subject: { id: string } }[])
      .filter((event) => event.subject.id === 'phones')
      .map((event) => event.type);
    expect(types).to.include.members(['list.replaced', 'list.items-added', 'list.item-removed']);
  });

  it('when a list change is made on one instance, then the other instance sees it within 5 s', async () => {
    await app
      .http()
      .post('/v1/lists/phones/items')
      .set(publisher)
      .send({ items: ['seen-elsewhere'] })
      .expect(200);
    const { value, ms } = await within(
      5000,
      () => other.http().get('/v1/lists/phones?q=seen-elsewhere').set(reader),
      (res) => res.body.items?.length === 1,
    );
    expect(value.body.items, `not seen after ${ms} ms`).to.deep.equal(['seen-elsewhere']);
    expect(ms).to.be.below(5000);
  });

  it('when two instances add items at the same time, then no addition is lost', async () => {
    await app.http().put('/v1/lists/race').set(publisher).send({ description: 'race', items: [] }).expect(201);
    await within(
      5000,
      () => other.http().get('/v1/lists/race').set(reader),
      (res) => res.status === 200,
    );
    const items = Array.from({ length: 20 }, (_, index) => `r-${String(index).padStart(2, '0')}`);
    await Promise.all(
      items.map((item, index) =>
        (index % 2 === 0 ? app : other)
          .http()
          .post('/v1/lists/race/items')
          .set(publisher)
          .send({ items: [item] })
          .expect(200),
      ),
    );
    for (const instance of [app, other]) {
      const { value } = await within(
        5000,
        () => instance.http().get('/v1/lists/race?limit=500').set(reader),
        (res) => res.body.size === 20,
      );
      expect(value.body.items).to.deep.equal(items);
    }
  });

  it('when a list of 100,000 items is PUT, then it is accepted whole, and one more item is refused with a 400', async () => {
    const items = Array.from({ length: 100_000 }, (_, index) => `device-${index}`);
    const res = await app.http().put('/v1/lists/big').set(publisher).send({ description: 'big', items });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).to.equal(201);
    expect(res.body.size).to.equal(100_000);
    const more = await app
      .http()
      .post('/v1/lists/big/items')
      .set(publisher)
      .send({ items: ['one-more'] });
    expect(more.status).to.equal(400);
    expect(more.body.error.details[0].path).to.equal('/items');
    const { value } = await within(
      10_000,
      () => other.http().get('/v1/lists/big?q=device-99999').set(reader),
      (r) => r.body.size === 100_000,
    );
    expect(value.body.items).to.deep.equal(['device-99999']);
  });

  it('when 100,000 items are added at once, then the other instance holds all of them (they span several chunk documents)', async () => {
    await app.http().put('/v1/lists/big-add').set(publisher).send({ description: 'added', items: [] }).expect(201);
    const items = Array.from({ length: 100_000 }, (_, index) => `${'i'.repeat(100)}-${index}`);
    const res = await app.http().post('/v1/lists/big-add/items').set(publisher).send({ items });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).to.equal(200);
    expect(res.body).to.include({ size: 100_000, changed: 100_000 });
    const last = `${'i'.repeat(100)}-99999`;
    const { value } = await within(
      10_000,
      () => other.http().get(`/v1/lists/big-add?q=${last}`).set(reader),
      (r) => r.body.size === 100_000,
    );
    expect(value.body.items).to.deep.equal([last]);
  });

  it('when a list body is over 16 MB, then it is a 413 that says so, and a 1 MB body elsewhere still is', async () => {
    const items = Array.from({ length: 150_000 }, (_, index) => `${'x'.repeat(120)}-${index}`);
    const res = await app.http().put('/v1/lists/huge').set(publisher).send({ description: 'huge', items });
    expect(res.status).to.equal(413);
    expect(res.body.error.message).to.equal('The request body is larger than 16 MB.');
    const other = await app
      .http()
      .post('/v1/rulesets')
      .set(editor)
      .send({ id: 'x', kind: 'fraud', description: 'y'.repeat(1_100_000) });
    expect(other.status).to.equal(413);
    expect(other.body.error.message).to.equal('The request body is larger than 1 MB.');
  });

  it('when a draft names an unknown list, then saving it is a 400 pointing at the condition value', async () => {
    await app.http().post('/v1/rulesets').set(editor).send({ id: 'list-rules', kind: 'fraud', description: 'lists' }).expect(201);
    const rule = (list: string) => ({
      name: 'listed-phone',
      conditions: { all: [{ fact: 'eventDeviceId', operator: 'inList', value: list }] },
      event: { type: 'alert', params: { code: 'LISTED', severity: 'low' } },
    });
    const res = await app
      .http()
      .put('/v1/rulesets/list-rules/draft')
      .set(editor)
      .send({ rules: [rule('no-such-list')] });
    expect(res.status).to.equal(400);
    expect(res.body.error.details).to.deep.include({
      path: '/rules/0/conditions/all/0/value',
      message: 'no list with id no-such-list (create it with PUT /v1/lists/no-such-list)',
    });
    await app
      .http()
      .put('/v1/rulesets/list-rules/draft')
      .set(editor)
      .send({ rules: [rule('blocked-devices')] })
      .expect(200);
  });

  it('when GET /v1/facts is read, then it lists inList and notInList and the eventDeviceId fact', async () => {
    const res = await app.http().get('/v1/facts').set(reader).expect(200);
    const operators = (res.body.operators as { name: string }[]).map((operator) => operator.name);
    expect(operators).to.include.members(['inList', 'notInList']);
    expect((res.body.items as { name: string }[]).map((fact) => fact.name)).to.include('eventDeviceId');
  });

  it('when a device is added to blocked-devices on one instance, then a decision on the other raises DEVICE_BLOCKED and logs the revision it saw, and replay is identical after the list changed', async () => {
    const before = await other
      .http()
      .post('/v1/decisions')
      .set(decider)
      .send({ profileId: 'C-LIST', event: application('d-stolen') });
    expect(before.status, JSON.stringify(before.body)).to.equal(200);
    expect((before.body.alerts as { code: string }[]).map((alert) => alert.code)).to.not.include('DEVICE_BLOCKED');

    const added = await app
      .http()
      .post('/v1/lists/blocked-devices/items')
      .set(publisher)
      .send({ items: ['d-stolen'] })
      .expect(200);
    const { value: decided } = await within(
      5000,
      () =>
        other
          .http()
          .post('/v1/decisions')
          .set(decider)
          .send({ profileId: 'C-LIST', event: application('d-stolen') }),
      (res) => (res.body.alerts as { code: string }[]).some((alert) => alert.code === 'DEVICE_BLOCKED'),
    );
    const alert = (decided.body.alerts as { code: string; severity: string }[]).find((a) => a.code === 'DEVICE_BLOCKED');
    expect(alert?.severity).to.equal('high');
    expect(decided.body.outcome).to.equal('decline');
    const logged = await app.http().get(`/v1/decisions/${decided.body.decisionId}`).set(decider).expect(200);
    expect(logged.body.lists).to.deep.equal({ 'blocked-devices': added.body.revision });

    await app.http().delete('/v1/lists/blocked-devices/items/d-stolen').set(publisher).expect(204);
    const replay = await app.http().post(`/v1/decisions/${decided.body.decisionId}/replay`).set(decider);
    expect(replay.status, JSON.stringify(replay.body)).to.equal(200);
    expect(replay.body.identical, JSON.stringify(replay.body.differences)).to.equal(true);
  });
});
