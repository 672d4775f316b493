import { expect } from 'chai';
import { Schema } from 'mongoose';
import { connectDatabase, type Database } from '../../src/db/database.js';
import { ensureCollection } from '../../src/db/ensure-collection.js';
import { isDuplicateKey } from '../../src/db/database-errors.js';
import { chunkedBulkWrite } from '../../src/db/chunked-bulk-write.js';
import { freshDbName } from '../helpers/test-app.js';

/** Proves, over the wire, that what the stores rely on works on the test database server. */
describe('database (mongoose over the wire)', () => {
  let database: Database;
  const probeModel = (name: string) => {
    const schema = new Schema({ _id: String, segment: String, income: Number, tags: [String] }, { versionKey: false, collection: name });
    schema.index({ segment: 1, income: -1 });
    return database.connection.model(name, schema);
  };

  before(async () => {
    database = await connectDatabase(process.env.MONGODB_URI!, freshDbName('database'));
  });
  after(async () => {
    await database.connection.dropDatabase();
    await database.close();
  });

  it('creates indexes, and a duplicate on a unique index answers E11000', async () => {
    const model = database.connection.model(
      'UniqueProbe',
      new Schema({ key: { type: String, unique: true } }, { collection: 'unique_probe' }),
    );
    await ensureCollection(model);
    const indexes = await model.listIndexes();
    expect(indexes.map((index) => index.name)).to.include('key_1');
    await model.create({ key: 'a' });
    const error = await model.create({ key: 'a' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDuplicateKey(error)).to.equal(true);
    expect(await model.countDocuments()).to.equal(1);
  });

  it('upserts: inserts when missing, updates when present', async () => {
    const model = probeModel('UpsertProbe');
    const first = await model.updateOne({ _id: 'p1' }, { $set: { income: 10 }, $setOnInsert: { segment: 'new' } }, { upsert: true });
    const second = await model.updateOne({ _id: 'p1' }, { $set: { income: 20 }, $setOnInsert: { segment: 'other' } }, { upsert: true });
    expect(first.upsertedCount).to.equal(1);
    expect(second.upsertedCount).to.equal(0);
    expect(second.modifiedCount).to.equal(1);
    const doc = await model.findById('p1').lean();
    expect(doc).to.include({ income: 20, segment: 'new' });
  });

  it('finds with a filter, sort and limit', async () => {
    const model = probeModel('FindProbe');
    await model.insertMany([
      { _id: 'a', segment: 'x', income: 5 },
      { _id: 'b', segment: 'x', income: 50 },
      { _id: 'c', segment: 'y', income: 500 },
      { _id: 'd', segment: 'x', income: 20 },
    ]);
    const docs = await model.find({ segment: 'x' }).sort({ income: -1 }).limit(2).lean();
    expect(docs.map((doc) => doc._id)).to.deep.equal(['b', 'd']);
  });

  it('runs a simple aggregation ($match, $unwind, $group, $sort)', async () => {
    const model = probeModel('AggregateProbe');
    await model.insertMany([
      { _id: 'a', tags: ['travel', 'fitness'] },
      { _id: 'b', tags: ['travel'] },
      { _id: 'c', tags: [] },
    ]);
    const counts = await model.aggregate([
      { $match: { tags: { $exists: true } } },
      { $unwind: '$tags' },
      { $group: { _id: '$tags', count: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    expect(counts).to.deep.equal([
      { _id: 'fitness', count: 1 },
      { _id: 'travel', count: 2 },
    ]);
  });

  it('updates 250 existing documents in one chunked bulk write (FerretDB hangs on 100+ update statements per command)', async () => {
    const model = probeModel('ChunkProbe');
    await model.insertMany(Array.from({ length: 250 }, (_, i) => ({ _id: `c-${i}`, income: 1 })));
    const operations = Array.from({ length: 250 }, (_, i) => ({
      updateOne: { filter: { _id: `c-${i}` }, update: { $set: { income: i } } },
    }));
    const failed = await chunkedBulkWrite(operations, (chunk) => model.bulkWrite(chunk as never, { ordered: false }));
    expect(failed.size).to.equal(0);
    expect(await model.countDocuments({ income: { $gte: 2 } })).to.equal(248);
  });

  it('reports bulk write errors per operation without blocking the others', async () => {
    const model = database.connection.model(
      'BulkProbe',
      new Schema({ _id: String, n: Number }, { collection: 'bulk_probe', versionKey: false }),
    );
    await model.create({ _id: 'taken', n: 0 });
    const error = await model
      .bulkWrite(
        [
          { insertOne: { document: { _id: 'new-1', n: 1 } } },
          { insertOne: { document: { _id: 'taken', n: 2 } } },
          { insertOne: { document: { _id: 'new-2', n: 3 } } },
        ],
        { ordered: false },
      )
      .then(
        () => undefined,
        (e: { writeErrors?: { index: number }[] }) => e,
      );
    expect(error?.writeErrors?.map((w) => w.index)).to.deep.equal([1]);
    expect(await model.countDocuments()).to.equal(3);
  });
});
