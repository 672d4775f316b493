import { expect } from 'chai';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createServer } from '../../src/server.js';
import { CHECKED_RESPONSES, freshDbName } from '../helpers/test-app.js';
import { fixture } from '../helpers/fixtures.js';

const ADMIN = 'lifecycle-admin-key-0123456789abcdef';

/** Starts the service the way `npm start` does: embedded database under DATA_DIR, unless a MongoDB is given. */
function serverOn(dataDir: string, dbName: string) {
  const embedded = process.env.TEST_EMBEDDED === '1';
  const config = loadConfig({
    ...(embedded ? {} : { MONGODB_URI: process.env.MONGODB_URI }),
    MONGODB_DB: dbName,
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    BOOTSTRAP_ADMIN_KEY: ADMIN,
    ...CHECKED_RESPONSES,
  });
  return createServer(config, { logger: createLogger('error', { silent: true }) });
}

describe('service lifecycle', () => {
  let dataDir: string;
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecycle-'));
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('when the service restarts on the same DATA_DIR, then the data written before is still there', async () => {
    const dbName = freshDbName('restart');
    const first = serverOn(dataDir, dbName);
    const { url } = await first.start();
    await supertest(url)
      .put('/v1/profiles/KEEP-1')
      .set('Authorization', `Bearer ${ADMIN}`)
      .send(fixture('profiles/sme-shenzhen.json'))
      .expect(201);
    await first.stop();

    const second = serverOn(dataDir, dbName);
    const again = await second.start();
    try {
      const res = await supertest(again.url).get('/v1/profiles/KEEP-1').set('Authorization', `Bearer ${ADMIN}`);
      expect(res.status).to.equal(200);
      expect(res.body.company.registeredCity).to.equal('Shenzhen');
    } finally {
      await second.stop();
    }
  });

  it('when stopped during a request, then that request still completes and new connections are refused', async () => {
    const server = serverOn(dataDir, freshDbName('graceful'));
    const { url, port } = await server.start();
    const body = JSON.stringify({ type: 'sme', company: { registeredCity: 'Shenzhen' } });
    const half = Math.floor(body.length / 2);
    // Send the headers and half the body, so the request is surely in flight when stop() begins.
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          port,
          host: '127.0.0.1',
          method: 'PUT',
          path: '/v1/profiles/G-1',
          headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, half));
      setTimeout(() => {
        stopped = server.stop();
        setTimeout(() => req.end(body.slice(half)), 100);
      }, 100);
    });
    let stopped: Promise<void> | undefined;
    const res = await response;
    await stopped;
    expect(res.status).to.equal(201);
    expect(JSON.parse(res.body).profileId).to.equal('G-1');
    const refused = await supertest(url)
      .get('/healthz')
      .then(
        () => false,
        () => true,
      );
    expect(refused).to.equal(true);
  });
});
