// @ts-check
/**
 * A bare reverse proxy in front of one port, in its own process, for bench/router to set
 * beside the local platform's router: what each proxying library costs on its own, with
 * nothing else the router does (no routing table, no headers, no access line, no limits).
 *   node bench/router/proxy.js <http-proxy|http-proxy-3|undici|node-http> <target port>
 * Prints {"port": N} once listening; stops on SIGTERM. Every library keeps its upstream
 * connections alive, as the router's agent does.
 */
const http = require('node:http');

const [library = 'http-proxy', targetText = ''] = process.argv.slice(2);
const target = Number(targetText);
const origin = `http://127.0.0.1:${target}`;

/** @param {http.ServerResponse} res */
const badGateway = (res) => {
  if (!res.headersSent) res.writeHead(502);
  res.end();
};

/** @type {Record<string, () => http.RequestListener>} */
const LIBRARIES = {
  'http-proxy': () => {
    const proxy = require('http-proxy').createProxyServer({});
    const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
    return (req, res) => proxy.web(req, res, { target: origin, agent }, () => badGateway(res));
  },
  'http-proxy-3': () => {
    const { createProxyServer } = require('http-proxy-3');
    const proxy = createProxyServer({});
    const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
    return (req, res) => proxy.web(req, res, { target: origin, agent }, () => badGateway(res));
  },
  undici: () => {
    const { Pool } = require('undici');
    const pool = new Pool(origin, { connections: 512 });
    return (req, res) => {
      const headers = { ...req.headers };
      delete headers.connection;
      delete headers['keep-alive'];
      pool.stream(
        {
          path: req.url ?? '/',
          method: /** @type {import('undici').Dispatcher.HttpMethod} */ (req.method ?? 'GET'),
          headers,
          body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
        },
        ({ statusCode, headers: answer }) => {
          res.writeHead(statusCode, /** @type {http.OutgoingHttpHeaders} */ (answer));
          return res;
        },
        (error) => {
          if (error) badGateway(res);
        },
      );
    };
  },
  'node-http': () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
    return (req, res) => {
      const upstream = http.request(
        { host: '127.0.0.1', port: target, path: req.url, method: req.method, headers: req.headers, agent },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => badGateway(res));
      req.pipe(upstream);
    };
  },
};

const make = LIBRARIES[library];
if (!make || !Number.isInteger(target) || target <= 0) {
  process.stderr.write(`usage: node bench/router/proxy.js <${Object.keys(LIBRARIES).join('|')}> <target port>\n`);
  process.exit(2);
}
const server = http.createServer(make());
server.keepAliveTimeout = 90_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
