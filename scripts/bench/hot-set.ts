import { benchProfileId } from './http-workload.js';
import { sleep } from './timing.js';

/** At most this many requests at once while the hot set is decided once. */
const CONCURRENCY = 16;

/**
 * Decides every profile of the hot set once (a login), before the hot runs: "hot" then means what it
 * means in service, profiles decided before (cached by our service, carrying their tags), rather than a
 * random warm-up leaving most of the set to its first decision inside the timed run. Not metered.
 * A 503 is retried after its Retry-After; anything else but 200 stops the benchmark.
 */
export async function decideHotSetOnce(url: string, authorization: string, hot: number): Promise<void> {
  let next = 0;
  const headers = { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) };
  const worker = async () => {
    for (let index = next++; index < hot; index = next++) {
      const body = JSON.stringify({ profileId: benchProfileId(index), event: { type: 'login' } });
      for (;;) {
        const response = await fetch(`${url}/v1/decisions`, { method: 'POST', headers, body });
        await response.arrayBuffer();
        if (response.status === 200) break;
        if (response.status !== 503) throw new Error(`bench: deciding hot profile ${index} answered ${response.status}`);
        await sleep(Number(response.headers.get('retry-after') ?? 1) * 1000);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}
