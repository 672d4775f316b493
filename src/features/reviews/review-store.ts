import { Schema, type Connection, type Model } from 'mongoose';
import { ensureCollection } from '../../db/ensure-collection.js';
import { isDuplicateKey } from '../../db/database-errors.js';
import type { Actor } from '../audit/audit-event-store.js';

export const REVIEW_LABELS = ['fraud', 'legitimate', 'unsure'] as const;
export type ReviewLabel = (typeof REVIEW_LABELS)[number];

/** One analyst's label on one decision: insert-only. */
export interface Review {
  reviewId: string;
  decisionId: string;
  label: ReviewLabel;
  note: string;
  at: Date;
  by: Actor;
}

interface ReviewDoc extends Omit<Review, 'reviewId'> {
  _id: string;
}

/** The latest review of a decision, with copies of what the queue filters reviewed decisions by. */
interface HeadDoc {
  _id: string;
  review: Review;
  decisionCreatedAt: Date;
  alertCodes: string[];
}

export interface ReviewedFilter {
  code?: string;
  from?: Date;
  to?: Date;
}

/** A position in newest-first order of the reviewed decisions: the last one of the previous page. */
export interface HeadPosition {
  createdAt: Date;
  id: string;
}

/**
 * Reviews beside the decision log, never inside its sealed entries: insert-only records
 * (`decision_reviews`), and per decision a head (`decision_review_heads`, keyed by the decision id)
 * holding its latest review, which the alert queue joins by `_id`. A head only moves to a later review
 * (review ids sort by time); the records keep every review.
 */
export class ReviewStore {
  private readonly reviews: Model<ReviewDoc>;
  private readonly heads: Model<HeadDoc>;

  constructor(connection: Connection) {
    const reviewSchema = new Schema<ReviewDoc>(
      { _id: String, decisionId: String, label: String, note: String, at: Date, by: Schema.Types.Mixed },
      { versionKey: false, collection: 'decision_reviews' },
    );
    reviewSchema.index({ decisionId: 1, _id: -1 });
    this.reviews = connection.model<ReviewDoc>('DecisionReview', reviewSchema);
    const headSchema = new Schema<HeadDoc>(
      { _id: String, review: Schema.Types.Mixed, decisionCreatedAt: Date, alertCodes: [String] },
      { versionKey: false, collection: 'decision_review_heads' },
    );
    headSchema.index({ decisionCreatedAt: -1, _id: -1 });
    this.heads = connection.model<HeadDoc>('DecisionReviewHead', headSchema);
  }

  async init(): Promise<void> {
    await Promise.all([ensureCollection(this.reviews), ensureCollection(this.heads)]);
  }

  /** Records the review, then moves the decision's head to it unless a later review is already there. */
  async add(review: Review, decision: { createdAt: Date; alertCodes: string[] }): Promise<void> {
    const { reviewId, ...rest } = review;
    await this.reviews.collection.insertOne({ _id: reviewId as never, ...rest });
    try {
      await this.heads.collection.updateOne(
        { _id: review.decisionId as never, 'review.reviewId': { $lt: reviewId } },
        { $set: { review, decisionCreatedAt: decision.createdAt, alertCodes: decision.alertCodes } },
        { upsert: true },
      );
    } catch (error) {
      // The head exists with a later review: the filter did not match it, so the upsert tried to insert.
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** Every review of a decision, newest first (a scan of the reviews on the embedded database; reviews are made by people). */
  async ofDecision(decisionId: string): Promise<Review[]> {
    const docs = await this.reviews.collection.find({ decisionId }).toArray();
    return (docs as unknown as ReviewDoc[]).map(toReview).sort((a, b) => b.reviewId.localeCompare(a.reviewId));
  }

  /** The latest review of each of these decisions that has one. */
  async latestOf(decisionIds: string[]): Promise<Map<string, Review>> {
    if (decisionIds.length === 0) return new Map();
    const docs = await this.heads.collection.find({ _id: { $in: decisionIds as never[] } }).toArray();
    return new Map((docs as unknown as HeadDoc[]).map((doc) => [doc._id, headReview(doc)]));
  }

  /** Reviewed decisions, newest decision first, with their latest review. */
  async reviewed(
    filter: ReviewedFilter,
    limit: number,
    before?: HeadPosition,
  ): Promise<{ decisionId: string; createdAt: Date; review: Review }[]> {
    const query: Record<string, unknown> = {};
    if (filter.code !== undefined) query.alertCodes = filter.code;
    if (filter.from || filter.to) {
      query.decisionCreatedAt = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
    }
    const page = before
      ? {
          $and: [
            query,
            { $or: [{ decisionCreatedAt: { $lt: before.createdAt } }, { decisionCreatedAt: before.createdAt, _id: { $lt: before.id } }] },
          ],
        }
      : query;
    const docs = await this.heads.find(page).sort({ decisionCreatedAt: -1, _id: -1 }).limit(limit).lean();
    return (docs as HeadDoc[]).map((doc) => ({ decisionId: doc._id, createdAt: new Date(doc.decisionCreatedAt), review: headReview(doc) }));
  }

  /** The latest label of every decision created in [from, to) that has one: what simulations count by. */
  async labelsBetween(from: Date, to: Date): Promise<Map<string, ReviewLabel>> {
    const docs = await this.heads.collection.find({ decisionCreatedAt: { $gte: from, $lt: to } }, { projection: { review: 1 } }).toArray();
    return new Map((docs as unknown as HeadDoc[]).map((doc) => [String(doc._id), doc.review.label]));
  }
}

function toReview(doc: ReviewDoc): Review {
  const { _id, decisionId, label, note, at, by } = doc;
  return { reviewId: _id, decisionId, label, note, at: new Date(at), by };
}

function headReview(doc: HeadDoc): Review {
  return { ...doc.review, at: new Date(doc.review.at) };
}
