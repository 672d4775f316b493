import { randomBytes } from 'node:crypto';
import { notFound } from '../../errors/domain-error.js';
import type { Caller } from '../../auth/roles.js';
import { actorOf, type AuditTrail } from '../audit/audit-trail.js';
import type { DecisionFilter, DecisionLogStore, LogPosition } from '../decisions/decision-log-store.js';
import type { DecisionRecord } from '../decisions/decision-record.js';
import { decisionResponse } from '../decisions/decision-view.js';
import type { Review, ReviewStore } from './review-store.js';
import type { AlertItem, ReviewRequest, ReviewView } from './review-schema.js';

/** Pages of the log an open-alert page reads at most to fill itself (reviewed ones are skipped): the query stays bounded. */
const MAX_OPEN_BATCHES = 5;

export interface AlertFilter {
  status?: 'open' | 'reviewed';
  code?: string;
  profileId?: string;
  from?: Date;
  to?: Date;
}

const newReviewId = (): string => `rev_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;

/** The alert queue and analysts' labels. */
export class ReviewService {
  constructor(private readonly deps: { reviews: ReviewStore; log: DecisionLogStore; audit: AuditTrail }) {}

  async review(decisionId: string, body: ReviewRequest, caller: Caller): Promise<ReviewView> {
    const record = await this.deps.log.get(decisionId);
    if (!record) throw notFound(`No decision with id ${decisionId}.`);
    const review: Review = { reviewId: newReviewId(), decisionId, label: body.label, note: body.note, at: new Date(), by: actorOf(caller) };
    await this.deps.reviews.add(review, {
      createdAt: new Date(record.core.createdAt),
      alertCodes: [...new Set(record.core.alerts.map((alert) => alert.code))],
    });
    await this.deps.audit.record(
      'decision.reviewed',
      actorOf(caller),
      { kind: 'decision', id: decisionId },
      {
        reviewId: review.reviewId,
        label: review.label,
      },
    );
    return reviewView(review);
  }

  async history(decisionId: string): Promise<ReviewView[]> {
    if (!(await this.deps.log.storedHash(decisionId))) throw notFound(`No decision with id ${decisionId}.`);
    return (await this.deps.reviews.ofDecision(decisionId)).map(reviewView);
  }

  /** A page of decisions that raised alerts, newest first, and the position after its last one (undefined at the end). */
  async alerts(filter: AlertFilter, limit: number, before?: LogPosition): Promise<{ items: AlertItem[]; next?: LogPosition }> {
    if (filter.status === 'reviewed') return this.reviewedAlerts(filter, limit, before);
    const logFilter: DecisionFilter = { alerted: true, alert: filter.code, profileId: filter.profileId, from: filter.from, to: filter.to };
    const items: AlertItem[] = [];
    let position = before;
    for (let batch = 0; batch < (filter.status === 'open' ? MAX_OPEN_BATCHES : 1); batch++) {
      const records = await this.deps.log.list(logFilter, limit, position);
      const latest = await this.deps.reviews.latestOf(records.map((record) => record.core.decisionId));
      for (const record of records) {
        const review = latest.get(record.core.decisionId);
        if (filter.status === 'open' && review) continue;
        items.push(alertItem(record, review));
        if (items.length === limit) return { items, next: positionOf(record) };
      }
      if (records.length < limit) return { items };
      position = positionOf(records[records.length - 1]!);
    }
    return { items, next: position };
  }

  private async reviewedAlerts(
    filter: AlertFilter,
    limit: number,
    before?: LogPosition,
  ): Promise<{ items: AlertItem[]; next?: LogPosition }> {
    const heads = await this.deps.reviews.reviewed(filter, limit, before);
    // By id, one point read each: the only filter the embedded database answers without a scan of the log.
    const records = await Promise.all(heads.map((head) => this.deps.log.get(head.decisionId)));
    const items: AlertItem[] = [];
    heads.forEach((head, index) => {
      const record = records[index];
      if (!record || record.core.alerts.length === 0) return;
      if (filter.profileId !== undefined && record.personal?.profileId !== filter.profileId) return;
      items.push(alertItem(record, head.review));
    });
    const last = heads[heads.length - 1];
    return { items, next: heads.length === limit && last ? { createdAt: last.createdAt, id: last.decisionId } : undefined };
  }
}

const positionOf = (record: DecisionRecord): LogPosition => ({ createdAt: new Date(record.core.createdAt), id: record.core.decisionId });

function alertItem(record: DecisionRecord, review: Review | undefined): AlertItem {
  // The queue lists alerts, not explanations: none are rebuilt for it.
  const response = decisionResponse(record, { explanations: [] });
  return {
    decisionId: response.decisionId,
    profileId: response.profileId,
    alerts: response.alerts,
    outcome: response.outcome,
    createdAt: record.core.createdAt,
    review: review ? reviewView(review) : null,
  };
}

function reviewView(review: Review): ReviewView {
  return {
    reviewId: review.reviewId,
    decisionId: review.decisionId,
    label: review.label,
    note: review.note,
    createdAt: review.at.toISOString(),
    reviewedBy: review.by,
  };
}
