// Baseline: bare node:http answering the same small JSON object.
const http = require('node:http');
const body = JSON.stringify({ hello: 'world' });
http
  .createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('listening'));
