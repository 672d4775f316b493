import { expect } from 'chai';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('loadConfig()', () => {
  it('when nothing is set, then the documented defaults apply (embedded database under ./data)', () => {
    const config = loadConfig({});
    expect(config.port).to.equal(8080);
    expect(config.mongodbUri).to.equal(undefined);
    expect(config.dataDir).to.equal(path.resolve('./data'));
    expect(config.logLevel).to.equal('info');
    expect(config.decisionTimeoutMs).to.equal(200);
    expect(config.fourEyes).to.equal(false);
    expect(config.outcome).to.deep.equal({ declineScore: 70, reviewScore: 40 });
    expect(config.embeddedDbSync).to.equal('normal');
  });

  it('when values are set, then they are parsed into types', () => {
    const config = loadConfig({
      PORT: '9000',
      MONGODB_URI: 'mongodb://db:27017',
      LOG_LEVEL: 'debug',
      FOUR_EYES: 'true',
      DATA_DIR: '/tmp/x',
    });
    expect(config).to.include({ port: 9000, mongodbUri: 'mongodb://db:27017', logLevel: 'debug', fourEyes: true, dataDir: '/tmp/x' });
    expect(loadConfig({ EMBEDDED_DB_SYNC: 'full' }).embeddedDbSync).to.equal('full');
  });

  it('when several values are wrong, then one ConfigError names every problem', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', MONGODB_URI: 'postgres://x', LOG_LEVEL: 'loud', BOOTSTRAP_ADMIN_KEY: 'short', FOUR_EYES: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).to.have.length(5);
    expect((error as Error).message)
      .to.contain('PORT')
      .and.contain('MONGODB_URI')
      .and.contain('LOG_LEVEL')
      .and.contain('BOOTSTRAP_ADMIN_KEY');
  });

  it('when nothing is set for the profile cache, then the embedded database is exclusive with a 64 MB cache, and a MONGODB_URI is shared, without one unless given a staleness bound', () => {
    expect(loadConfig({})).to.deep.include({ databaseExclusive: true, profileCache: { maxMb: 64, maxAgeMs: undefined } });
    expect(loadConfig({ MONGODB_URI: 'mongodb://db:27017' })).to.deep.include({
      databaseExclusive: false,
      profileCache: { maxMb: 64, maxAgeMs: undefined },
    });
    expect(loadConfig({ PROFILE_CACHE_MB: '0', PROFILE_CACHE_MAX_AGE_MS: '500' }).profileCache).to.deep.equal({ maxMb: 0, maxAgeMs: 500 });
    expect(() => loadConfig({ PROFILE_CACHE_MB: '-1', PROFILE_CACHE_MAX_AGE_MS: 'soon' }))
      .to.throw(ConfigError)
      .with.property('problems')
      .that.has.length(2);
  });

  it('when RESPONSE_VALIDATION is set, then answers are checked; it is off by default and must be true or false', () => {
    expect(loadConfig({}).responseValidation).to.equal(false);
    expect(loadConfig({ RESPONSE_VALIDATION: 'true' }).responseValidation).to.equal(true);
    expect(() => loadConfig({ RESPONSE_VALIDATION: 'yes' })).to.throw(ConfigError, /RESPONSE_VALIDATION must be true or false/);
  });

  it('when nothing is set for background simulations, then one runs per instance, three per key, a 30 s lease and 30 days kept; bounds are checked', () => {
    expect(loadConfig({}).simulations).to.deep.equal({
      inlineLimit: 10_000,
      concurrency: 1,
      queuePerKey: 3,
      leaseMs: 30_000,
      retentionDays: 30,
    });
    expect(loadConfig({ SIMULATION_CONCURRENCY: '0' }).simulations.concurrency).to.equal(0);
    let error: unknown;
    try {
      loadConfig({
        SIMULATION_CONCURRENCY: '17',
        SIMULATION_QUEUE_PER_KEY: '0',
        SIMULATION_LEASE_MS: '500',
        SIMULATION_RETENTION_DAYS: 'x',
      });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.join('\n'))
      .to.contain('SIMULATION_CONCURRENCY')
      .and.contain('SIMULATION_QUEUE_PER_KEY')
      .and.contain('SIMULATION_LEASE_MS')
      .and.contain('SIMULATION_RETENTION_DAYS');
  });

  it('when DECISION_SEAL_KEY is shorter than 32 characters, then it is refused; when long enough, it is kept', () => {
    expect(() => loadConfig({ DECISION_SEAL_KEY: 'too-short-a-secret' })).to.throw(
      ConfigError,
      /DECISION_SEAL_KEY must be at least 32 characters/,
    );
    const key = 'a-seal-key-of-at-least-32-characters-0123';
    expect(loadConfig({ DECISION_SEAL_KEY: key }).decisionSealKey).to.equal(key);
    expect(loadConfig({}).decisionSealKey).to.equal(undefined);
  });

  it('when the review threshold exceeds the decline threshold, then it is refused', () => {
    expect(() => loadConfig({ OUTCOME_REVIEW_SCORE: '80', OUTCOME_DECLINE_SCORE: '70' })).to.throw(ConfigError, /OUTCOME_REVIEW_SCORE/);
  });

  it('when a job schedule, the jobs time zone, the engine or the embedded database sync mode are invalid, then start-up fails naming them', () => {
    let error: unknown;
    try {
      loadConfig({
        JOB_RETAG_SCHEDULE: 'every night',
        JOBS_TIMEZONE: 'Mars/Olympus',
        ENGINE: 'turbo',
        SEGMENT_EXPORT_TAGS: 'ok,Not Valid',
        EMBEDDED_DB_SYNC: 'sometimes',
      });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems.join('\n'))
      .to.contain('JOB_RETAG_SCHEDULE')
      .and.contain('JOBS_TIMEZONE')
      .and.contain('ENGINE')
      .and.contain('SEGMENT_EXPORT_TAGS')
      .and.contain('EMBEDDED_DB_SYNC');
  });

  it('when job schedules are set, then each job gets its own and the rest keep their defaults', () => {
    const config = loadConfig({ JOB_RETAG_SCHEDULE: '*/5 * * * *', JOB_SEGMENT_EXPORT_SCHEDULE: '0 7 * * 1-5' });
    expect(config.jobs.schedules).to.deep.include({ retag: '*/5 * * * *', 'segment-export': '0 7 * * 1-5', 'seal-decisions': '* * * * *' });
    expect(config.engine).to.equal('compiled');
  });
});
