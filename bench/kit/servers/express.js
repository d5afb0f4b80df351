// A common peer stack: Express with pino-http access logs (one line per request, written to
// the same kind of buffered destination as the kit's) and a prom-client request histogram.
const http = require('node:http');
const express = require('express');
const pino = require('pino');
const pinoHttp = require('pino-http');
const client = require('prom-client');
const destination = require('./destination');

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const duration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'request duration',
  labelNames: ['route', 'method', 'status'],
  registers: [registry],
});
const app = express();
app.use(pinoHttp({ logger: pino(destination()) }));
app.use((req, res, next) => {
  const end = duration.startTimer();
  res.on('finish', () => end({ route: req.route?.path ?? '(unmatched)', method: req.method, status: res.statusCode }));
  next();
});
app.get('/', (req, res) => res.json({ hello: 'world' }));
app.get('/metrics', async (req, res) => res.type(registry.contentType).send(await registry.metrics()));
http.createServer(app).listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
