// Baseline: bare Koa with @koa/router, nothing else.
const http = require('node:http');
const Koa = require('koa');
const Router = require('@koa/router');
const app = new Koa();
const router = new Router();
router.get('/', (ctx) => {
  ctx.body = { hello: 'world' };
});
app.use(router.routes()).use(router.allowedMethods());
http.createServer(app.callback()).listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
