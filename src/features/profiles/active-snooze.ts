/**
 * A snooze as the profile document carries it for decisions: which rule, until when (ISO instant).
 * Declared here, with the profile that holds it; src/features/snoozes/ manages it.
 */
export interface ActiveSnooze {
  snoozeId: string;
  ruleset: string;
  rule: string;
  until: string;
}
