import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';

export interface SimulationRecord {
  id: string;
  rulesetId: string;
  status: 'running' | 'succeeded' | 'failed';
  progress: { done: number; total: number };
  header: object;
  result: object | null;
  error: string | null;
  createdAt: Date;
}

type SimulationDoc = Omit<SimulationRecord, 'id'> & { _id: string };

/** Reports of simulations too large to answer in the request, fetched by id. */
export class SimulationStore {
  private readonly model: Model<SimulationDoc>;

  constructor(connection: Connection) {
    this.model = connection.model<SimulationDoc>(
      'Simulation',
      new Schema<SimulationDoc>(
        {
          _id: String,
          rulesetId: String,
          status: String,
          progress: Schema.Types.Mixed,
          header: Schema.Types.Mixed,
          result: Schema.Types.Mixed,
          error: { type: String, default: null },
          createdAt: Date,
        },
        { versionKey: false, collection: 'simulations', minimize: false },
      ),
    );
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  async create(record: SimulationRecord): Promise<void> {
    const { id, ...rest } = record;
    await this.model.create({ _id: id, ...rest });
  }

  async progress(id: string, progress: SimulationRecord['progress']): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { progress } });
  }

  async finish(id: string, result: object, progress: SimulationRecord['progress']): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'succeeded', result, progress } });
  }

  async fail(id: string, error: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'failed', error } });
  }

  /**
   * Erasure: removes the profile id from the examples of every stored report (a scan of a small
   * collection); the decision ids stay, as their log entries are masked. Answers how many reports changed.
   */
  async forgetProfile(profileId: string): Promise<number> {
    const docs = await this.model.collection.find({ 'result.examples.input.profileId': profileId }).toArray();
    for (const doc of docs) {
      const result = doc.result as { examples: { input: { profileId?: string | null } }[] };
      const examples = result.examples.map((example) =>
        example.input.profileId === profileId ? { ...example, input: { ...example.input, profileId: null } } : example,
      );
      await this.model.collection.updateOne({ _id: doc._id }, { $set: { 'result.examples': examples } });
    }
    return docs.length;
  }

  async get(id: string): Promise<SimulationRecord | undefined> {
    const doc = await this.model.findById(id).lean();
    if (!doc) return undefined;
    const { _id, ...rest } = doc;
    return { id: _id, ...rest };
  }
}
