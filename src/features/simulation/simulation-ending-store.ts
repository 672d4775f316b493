import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import type { Requester } from './simulation-store.js';

/** How a background run ended, decided once: by the first cancel, or by the instance that finished it. */
export interface SimulationEnding {
  outcome: 'succeeded' | 'failed' | 'cancelled';
  /** Who cancelled it (null when it finished). */
  by: Requester | null;
  at: Date;
}

interface EndingDoc extends SimulationEnding {
  _id: string;
}

/**
 * The fate of each background run, one insert-only document per run keyed by its id. A run's own
 * document is written by conditional updates that FerretDB v1 executes as a read then a write of the
 * whole document, so a claim or a heartbeat racing a cancel could overwrite it; a unique `_id` insert
 * cannot be overwritten. A cancel and a finishing instance both insert here: whichever lands first
 * decides, and the run's document is then made to agree with it.
 */
export class SimulationEndingStore {
  private readonly model: Model<EndingDoc>;

  constructor(connection: Connection) {
    this.model = connection.model<EndingDoc>(
      'SimulationEnding',
      new Schema<EndingDoc>(
        { _id: String, outcome: String, by: { type: Schema.Types.Mixed, default: null }, at: Date },
        { versionKey: false, collection: 'simulation_endings' },
      ),
    );
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  /** Records the run's ending unless one is recorded already; answers the ending that stands. */
  async decide(simulationId: string, ending: SimulationEnding): Promise<SimulationEnding> {
    try {
      await this.model.create({ _id: simulationId, ...ending });
      return ending;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const standing = await this.get(simulationId);
    if (!standing) throw new Error(`SimulationEndingStore: decide() found no ending of ${simulationId} after a duplicate key`);
    return standing;
  }

  async get(simulationId: string): Promise<SimulationEnding | undefined> {
    const doc = await this.model.findById(simulationId).lean();
    if (!doc) return undefined;
    const { outcome, by, at } = doc;
    return { outcome, by: by ?? null, at };
  }

  /** Retention: endings are as old as the runs they ended (removed by the same job). */
  async deleteBefore(cutoff: Date): Promise<number> {
    return (await this.model.deleteMany({ at: { $lt: cutoff } })).deletedCount;
  }
}
