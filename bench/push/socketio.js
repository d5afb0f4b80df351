// The peer: socket.io 4 with @socket.io/redis-adapter, the stack the chat this project
// descends from used. It reads the same bus stream as push (one XREAD BLOCK reader) and
// emits each event to every socket with io.emit, which the adapter also publishes to Redis
// for other instances. A connection must present a valid token (verified against the JWKS,
// as push does); no resume: a reconnecting client misses what was sent meanwhile.
'use strict';
const http = require('node:http');
const Redis = require('ioredis');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createRemoteJWKSet, jwtVerify } = require('jose');

const url = String(process.env.EVENT_BUS_URL);
const jwks = createRemoteJWKSet(new URL(String(process.env.JWKS_URL)));
const redis = new Redis(url);
const reader = new Redis(url);
const pub = new Redis(url);
const sub = pub.duplicate();

const server = http.createServer();
const io = new Server(server, { serveClient: false });
io.adapter(createAdapter(pub, sub));
io.use((socket, next) => {
  jwtVerify(String(socket.handshake.auth.token), jwks, { issuer: process.env.TOKEN_ISSUER, audience: process.env.TOKEN_AUDIENCE }).then(
    () => next(),
    () => next(new Error('unauthorized')),
  );
});

async function loop() {
  const [last] = /** @type {[string, string[]][]} */ (await redis.xrevrange('bus:events', '+', '-', 'COUNT', 1));
  let cursor = last?.[0] ?? '0';
  for (;;) {
    const reply = /** @type {[string, [string, string[]][]][] | null} */ (
      await reader.xread('COUNT', 1000, 'BLOCK', 5000, 'STREAMS', 'bus:events', cursor)
    );
    for (const [id, fields] of reply?.[0]?.[1] ?? []) {
      /** @type {Record<string, string>} */
      const record = {};
      for (let i = 0; i + 1 < fields.length; i += 2) record[String(fields[i])] = String(fields[i + 1]);
      io.emit(String(record.name), { id, name: record.name, time: record.time, payload: JSON.parse(record.payload ?? 'null') });
      cursor = id;
    }
  }
}

server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ msg: 'listening' })}\n`);
  loop().catch((error) => {
    process.stderr.write(`${error}\n`);
    process.exit(1);
  });
});
process.on('SIGTERM', () => process.exit(0));
