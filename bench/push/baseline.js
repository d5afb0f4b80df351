// The baseline: a bare node:http SSE server with one XREAD BLOCK reader fanning out to every
// client. No auth, no framework, no resume: the floor the push app is measured against.
// Like the push app it writes no chunked framing (the body ends with the connection).
'use strict';
const http = require('node:http');
const Redis = require('ioredis');

const port = Number(process.env.PORT);
const redis = new Redis(String(process.env.EVENT_BUS_URL));
const reader = new Redis(String(process.env.EVENT_BUS_URL));
/** @type {Set<http.ServerResponse>} */
const clients = new Set();

const server = http.createServer((req, res) => {
  res.useChunkedEncodingByDefault = false;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'close' });
  res.write('retry: 2000\n\n');
  clients.add(res);
  req.on('close', () => clients.delete(res));
});

async function loop() {
  const [last] = /** @type {[string, string[]][]} */ (await redis.xrevrange('bus:events', '+', '-', 'COUNT', 1));
  let cursor = last?.[0] ?? '0';
  for (;;) {
    const reply = /** @type {[string, [string, string[]][]][] | null} */ (
      await reader.xread('COUNT', 1000, 'BLOCK', 5000, 'STREAMS', 'bus:events', cursor)
    );
    const entries = reply?.[0]?.[1] ?? [];
    let frames = '';
    for (const [id, fields] of entries) {
      /** @type {Record<string, string>} */
      const record = {};
      for (let i = 0; i + 1 < fields.length; i += 2) record[String(fields[i])] = String(fields[i + 1]);
      frames += `id: ${id}\nevent: ${record.name}\ndata: ${JSON.stringify({ name: record.name, time: record.time, payload: JSON.parse(record.payload ?? 'null') })}\n\n`;
      cursor = id;
    }
    if (frames === '') continue;
    const bytes = Buffer.from(frames); // encoded once for every client
    for (const res of clients) res.write(bytes);
  }
}

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port })}\n`);
  loop().catch((error) => {
    process.stderr.write(`${error}\n`);
    process.exit(1);
  });
});
process.on('SIGTERM', () => process.exit(0));
