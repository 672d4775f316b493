import { notFound } from '../../errors/domain-error.js';
import type { DecisionLogStore } from '../decisions/decision-log-store.js';
import type { LoggedExplanations } from '../decisions/logged-explanations.js';
import { loggedDecision } from '../decisions/decision-view.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { ReviewService } from './review-service.js';
import type { AlertDetail } from './review-schema.js';

/** How far back and how many of the customer's activities an analyst sees beside an alert. */
const ACTIVITY_WINDOW_MS = 30 * 24 * 3_600_000;
const MAX_ACTIVITY = 100;

/**
 * One decision as a fraud analyst opens it. Only decisions their work concerns (it raised an alert, or a snooze
 * held for one of its rules) are shown: any other is a 404, so the log does not leak through this door.
 */
export class AlertDetails {
  constructor(
    private readonly deps: { log: DecisionLogStore; explanations: LoggedExplanations; profiles: ProfileStore; reviews: ReviewService },
  ) {}

  async open(decisionId: string, now = new Date()): Promise<AlertDetail> {
    const record = await this.deps.log.get(decisionId);
    const concerned = record && (record.core.alerts.length > 0 || (record.personal?.snoozes?.length ?? 0) > 0);
    if (!record || !concerned) throw notFound(`No alerted or snoozed decision with id ${decisionId}.`);
    const profileId = record.personal?.profileId;
    const [explained, profile, reviews] = await Promise.all([
      this.deps.explanations.of(record),
      profileId === undefined ? undefined : this.deps.profiles.get(profileId),
      this.deps.reviews.history(decisionId),
    ]);
    const since = new Date(now.getTime() - ACTIVITY_WINDOW_MS).getTime();
    const recentActivity = (profile?.activity ?? [])
      .filter((entry) => Date.parse(entry.at) >= since)
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
      .slice(0, MAX_ACTIVITY);
    return { decision: loggedDecision(record, explained), recentActivity, reviews };
  }
}
