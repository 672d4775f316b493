import { cpuMeter } from '../child-process.js';
import { runLoad, type LoadSpec, type MeteredLoad } from '../load-run.js';

/** Every shipped ruleset but fraud-alerts, the one whose applicationsLast24h fact reads the decision log. */
const WITHOUT_HISTORY = ['credit-risk', 'customer-tags', 'product-matching'];

/**
 * BENCH_HTTP_WITHOUT_HISTORY=1: the decision run again with the same bodies restricted to the rulesets
 * that need no history read, so that the difference from the main run is what that read costs.
 */
export async function runDecisionsWithoutHistory(
  spec: LoadSpec,
  pids: { service: number; database: number | undefined },
): Promise<MeteredLoad> {
  const body = () => JSON.stringify({ ...(JSON.parse(spec.body()) as object), rulesets: WITHOUT_HISTORY });
  const meter = cpuMeter(pids);
  const run = await runLoad({ ...spec, body });
  return { ...run.result, cpuSeconds: meter.stop() };
}
