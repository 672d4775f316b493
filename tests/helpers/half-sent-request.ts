import http from 'node:http';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * Sends the headers and half the body of a profile PUT on a kept-alive connection, so that the
 * request is surely in flight when a test stops the server; `finish()` sends the rest.
 */
export function halfSentRequest(url: string, adminKey: string, profileId: string): { answer: Promise<Answer>; finish(): void } {
  const body = JSON.stringify({ type: 'sme', company: { registeredCity: 'Shenzhen' } });
  const half = Math.floor(body.length / 2);
  const agent = new http.Agent({ keepAlive: true });
  let req: http.ClientRequest;
  const answer = new Promise<Answer>((resolve, reject) => {
    req = http.request(
      `${url}/v1/profiles/${profileId}`,
      {
        method: 'PUT',
        agent,
        headers: { Authorization: `Bearer ${adminKey}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, half));
  });
  return { answer, finish: () => req.end(body.slice(half)) };
}
