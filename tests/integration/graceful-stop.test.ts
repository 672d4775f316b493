import { expect } from 'chai';
import { startTestApp } from '../helpers/test-app.js';
import { halfSentRequest } from '../helpers/half-sent-request.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful stop', () => {
  it('when the server stops during a request on a kept-alive connection, then the request is answered with Connection: close', async () => {
    const app = await startTestApp('drain');
    const inFlight = halfSentRequest(app.url, app.adminKey, 'DRAIN-1');
    await sleep(100);
    const stopped = app.stop();
    await sleep(100);
    inFlight.finish();
    const res = await inFlight.answer;
    await stopped;
    expect(res.status).to.equal(201);
    expect(res.headers.connection).to.equal('close');
  });

  it('when a request is still in flight once SHUTDOWN_GRACE_MS is over, then it is answered 503 in the envelope before the server exits', async () => {
    const app = await startTestApp('grace', { SHUTDOWN_GRACE_MS: '300' });
    const inFlight = halfSentRequest(app.url, app.adminKey, 'GRACE-1');
    await sleep(100);
    const started = Date.now();
    const stopped = app.stop();
    // The rest of the body never comes.
    const res = await inFlight.answer;
    await stopped;
    expect(res.status).to.equal(503);
    expect(JSON.parse(res.body).error.code).to.equal('UNAVAILABLE');
    expect(res.headers.connection).to.equal('close');
    expect(Date.now() - started).to.be.within(250, 5000);
  });
});
