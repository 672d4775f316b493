/**
 * The HTTP baseline: an Express 5 hello-world started like the service (its own process, a JSON body
 * parser, a JSON answer), so that the ratio to it shows what the decision path costs beyond Express
 * and Node's HTTP stack on this machine. Run by http-bench.ts: `PORT=… node hello-world.js`.
 */
import express from 'express';

const app = express();
app.use(express.json());
app.post('/v1/decisions', (_req, res) => {
  res.json({ hello: 'world' });
});
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});

const server = app.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ message: 'ready', address: server.address() }));
});
server.keepAliveTimeout = 65_000;

const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
