import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import type { DailyReport } from './daily-report.js';

interface ReportDoc {
  _id: string;
  report: DailyReport;
}

/** Daily reports of finished days, written by the daily-report job (one document per day). */
export class ReportStore {
  private readonly model: Model<ReportDoc>;

  constructor(connection: Connection) {
    this.model = connection.model<ReportDoc>(
      'DailyReport',
      new Schema<ReportDoc>(
        { _id: String, report: Schema.Types.Mixed },
        { versionKey: false, collection: 'daily_reports', minimize: false },
      ),
    );
  }

  async init(): Promise<void> {
    await ensureCollection(this.model);
  }

  async get(date: string): Promise<DailyReport | undefined> {
    return (await this.model.findById(date).lean())?.report;
  }

  async save(report: DailyReport): Promise<void> {
    await this.model.updateOne({ _id: report.date }, { $set: { report } }, { upsert: true });
  }
}
