import { expect } from 'chai';
import { Writable } from 'node:stream';
import winston from 'winston';
import { loadConfig } from '../../src/config/config.js';
import { createServer, type Server } from '../../src/server.js';
import { createLogger } from '../../src/logging/logger.js';
import { CHECKED_RESPONSES, freshDbName } from '../helpers/test-app.js';
import { fixture } from '../helpers/fixtures.js';
import supertest from 'supertest';

describe('logs', () => {
  const lines: Record<string, unknown>[] = [];
  let server: Server;
  let url: string;
  const adminKey = 'logging-test-admin-key-0123456789';

  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    // The service's own logger (with its request-id format), writing into memory instead of stdout.
    const logger = createLogger('debug');
    logger.clear();
    logger.add(new winston.transports.Stream({ stream: sink }));
    const config = loadConfig({
      MONGODB_URI: process.env.MONGODB_URI,
      MONGODB_DB: freshDbName('logging'),
      PORT: '0',
      HOST: '127.0.0.1',
      BOOTSTRAP_ADMIN_KEY: adminKey,
      ...CHECKED_RESPONSES,
    });
    server = createServer(config, { logger });
    url = (await server.start()).url;
  });
  after(() => server.stop());

  it('when a profile is written, then the request log carries the request id and the route pattern, and no customer data', async () => {
    const profile = fixture('profiles/individual-guangzhou.json');
    await supertest(url)
      .put('/v1/profiles/C-SECRET-77')
      .set('Authorization', `Bearer ${adminKey}`)
      .set('X-Request-Id', 'req-log-1')
      .send(profile)
      .expect(201);
    const requestLine = lines.find((line) => line.message === 'request' && line.requestId === 'req-log-1');
    expect(requestLine).to.include({ route: '/v1/profiles/:profileId', status: 201, method: 'PUT' });
    const everything = JSON.stringify(lines);
    expect(everything).not.to.contain('C-SECRET-77');
    expect(everything).not.to.contain('Guangzhou');
    expect(everything).not.to.contain(adminKey);
  });
});
