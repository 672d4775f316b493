/**
 * A day as the service measures durations: 24 hours. Windows such as "the last 30 days" and retention
 * periods count these, not calendar days (which a zone's daylight saving may lengthen or shorten).
 */
export const DAY_MS = 24 * 60 * 60 * 1000;
