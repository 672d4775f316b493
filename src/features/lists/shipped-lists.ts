/** Lists the service creates, empty, at start-up when missing (the shipped fraud-alerts ruleset reads them). */
export const SHIPPED_LISTS: readonly { id: string; description: string }[] = [
  { id: 'blocked-devices', description: 'Device ids whose loan applications raise DEVICE_BLOCKED (fraud-alerts)' },
];
