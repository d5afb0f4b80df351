// The other peer users pick: Fastify 5 with its own pino logger (its default request logging:
// request id, an "incoming request" and a "request completed" line per request) on the same
// kind of buffered destination as the kit's, @fastify/helmet's security headers, and a
// prom-client request histogram fed from the onResponse hook.
const Fastify = require('fastify');
const helmet = require('@fastify/helmet');
const pino = require('pino');
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

async function main() {
  const app = Fastify({ loggerInstance: pino(destination()) });
  await app.register(helmet);
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { route: request.routeOptions.url ?? '(unmatched)', method: request.method, status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/', async () => ({ hello: 'world' }));
  app.get('/metrics', async (request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  process.send?.('listening');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
