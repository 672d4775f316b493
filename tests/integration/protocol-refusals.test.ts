import { expect } from 'chai';
import net from 'node:net';
import { startTestApp, type TestApp } from '../helpers/test-app.js';

/** Sends raw bytes and reads the whole answer (the server closes the connection after a refusal). */
function exchange(port: number, raw: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(raw));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (text += chunk));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no complete answer; got ${JSON.stringify(text)}`)));
    socket.on('close', () => {
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(
        headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

const cases: { name: string; raw: string; status: number; code: string }[] = [
  {
    name: 'the headers are larger than 16 KB',
    raw: `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`,
    status: 431,
    code: 'HEADERS_TOO_LARGE',
  },
  { name: 'the method is not HTTP', raw: 'FETCH /healthz HTTP/1.1\r\nHost: x\r\n\r\n', status: 400, code: 'VALIDATION_FAILED' },
  { name: 'the request line is malformed', raw: 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n', status: 400, code: 'VALIDATION_FAILED' },
  {
    name: 'a header line is malformed',
    raw: 'GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'Content-Length and Transfer-Encoding are both sent',
    raw: 'POST /v1/decisions HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'an HTTP/1.1 request has no Host header',
    raw: 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
  {
    name: 'the Expect header asks for something else than 100-continue',
    raw: 'GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nConnection: close\r\n\r\n',
    status: 417,
    code: 'EXPECTATION_FAILED',
  },
  {
    name: 'the method is CONNECT',
    raw: 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n',
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'a path parameter is not valid percent-encoding',
    raw: 'GET /v1/profiles/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    status: 400,
    code: 'VALIDATION_FAILED',
  },
];

describe('requests refused before any route (Node and Express)', () => {
  let app: TestApp;
  let port: number;

  before(async () => {
    app = await startTestApp('refusals');
    port = Number(new URL(app.url).port);
  });
  after(() => app.stop());

  for (const { name, raw, status, code } of cases) {
    it(`when ${name}, then ${status} ${code} in the error envelope`, async () => {
      const res = await exchange(port, raw);
      expect(res.status, res.body).to.equal(status);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      const body = JSON.parse(res.body);
      expect(body.error.code).to.equal(code);
      expect(body.error.message).to.be.a('string').and.not.empty;
      expect(body.error.details).to.deep.equal([]);
    });
  }

  it('when a request was refused, then the service still answers the next connection', async () => {
    await exchange(port, 'FETCH / HTTP/1.1\r\n\r\n');
    const res = await app.http().get('/healthz');
    expect(res.status).to.equal(200);
  });
});
