/** The rule evaluators the service can run: `compiled` closures, or `reference`, json-rules-engine itself. */
export const ENGINE_KINDS = ['compiled', 'reference'] as const;
export type EngineKind = (typeof ENGINE_KINDS)[number];
