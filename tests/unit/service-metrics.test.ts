import { expect } from 'chai';
import { ServiceMetrics } from '../../src/metrics/service-metrics.js';

describe('ServiceMetrics', () => {
  it('when the profile cache reports hits and misses, then the scrape counts them under cache="profile"', async () => {
    const metrics = new ServiceMetrics();
    metrics.profileCache.hit();
    metrics.profileCache.hit();
    metrics.profileCache.miss();
    const { text } = await metrics.scrape();
    expect(text).to.match(/^decisioning_cache_lookups_total\{cache="profile",result="hit"\} 2$/m);
    expect(text).to.match(/^decisioning_cache_lookups_total\{cache="profile",result="miss"\} 1$/m);
  });

  it('when two instances count in one process, then each scrape holds only its own counts', async () => {
    const first = new ServiceMetrics();
    const second = new ServiceMetrics();
    first.decisions.decided('approve', ['credit-risk']);
    expect((await first.scrape()).text).to.match(/^decisioning_decisions_total\{outcome="approve"\} 1$/m);
    expect((await second.scrape()).text).not.to.match(/^decisioning_decisions_total\{outcome="approve"\}/m);
  });

  it('when the limiter is observed, then each scrape reads its state at that moment', async () => {
    const metrics = new ServiceMetrics();
    let inFlight = 3;
    metrics.admission.observeLimiter(() => ({ limit: 8, inFlight, queued: 1, queueCapacity: 5 }));
    expect((await metrics.scrape()).text).to.match(/^decisioning_admission_in_flight 3$/m);
    inFlight = 7;
    const { text } = await metrics.scrape();
    expect(text).to.match(/^decisioning_admission_in_flight 7$/m);
    expect(text).to.match(/^decisioning_admission_limit 8$/m);
    expect(text).to.match(/^decisioning_admission_queue_capacity 5$/m);
  });

  it('when several instances exist in one process, then each scrape holds the process metrics once (collected once per process)', async () => {
    const scrapes = await Promise.all([new ServiceMetrics(), new ServiceMetrics()].map((metrics) => metrics.scrape()));
    for (const { text } of scrapes) {
      expect(text.match(/^# TYPE process_cpu_seconds_total counter$/gm)).to.have.length(1);
      expect(text).to.match(/^nodejs_eventloop_lag_p99_seconds /m);
    }
  });
});
