// The kit with everything on: request id, access log to stdout, errors, security headers,
// ops routes, metrics with process metrics (bodies are parsed per route, and GET has none).
const Router = require('@koa/router');
const { createApp, createLogger, serve } = require('@bundle/kit');
const identity = { app: 'bench', version: '0.0.0', commit: 'bench', space: 'bench', instance: '0' };
const logger = createLogger(identity, 'info');
const router = new Router();
router.get('/', (ctx) => {
  ctx.body = { hello: 'world' };
});
const app = createApp({ identity, logger, routers: [router] });
serve(app, { port: Number(process.env.PORT), host: '127.0.0.1', signals: [] }).then(() => process.send?.('listening'));
