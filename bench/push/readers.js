// Child process of run.js: holds many stream connections on raw sockets (no EventSource, no
// socket.io-client, no HTTP client: a socket, a small tail buffer and two typed-array rows
// per connection) and notes when each receives each message. It reads Server-Sent Events
// (push, bare SSE) or socket.io over a WebSocket (engine.io v4 protocol, just enough of it:
// open, connect with auth, ping/pong, events). Talks to run.js over IPC; at the end run.js
// sends the time of every POST's 201 and this returns a latency histogram.
'use strict';
const net = require('node:net');
const { randomBytes } = require('node:crypto');
const { performance } = require('node:perf_hooks');

const BUCKET_MS = 0.1; // latency histogram resolution
const MAX_MS = 10_000;
const CONNECTING = 100; // connections being opened at once
const now = () => performance.now();
const epochOffset = performance.timeOrigin;

/** @type {Array<{ receivedAt: Float32Array, received: number, duplicates: number, socket: net.Socket | undefined }>} */
const clients = [];
/** Streams the server refused (503 or 429 at open): they expect nothing. */
let refused = 0;
let marker = Buffer.alloc(0);
let started = 0;

/** Records every "bench <run> <seq>" in buf[from, to) as received by this client at `at`. */
function scan(client, buf, from, to, at) {
  let index = buf.indexOf(marker, from);
  while (index !== -1 && index < to) {
    let seq = 0;
    let i = index + marker.length;
    for (let c = buf[i]; c >= 48 && c <= 57; c = buf[++i]) seq = seq * 10 + c - 48;
    if (seq < client.receivedAt.length) {
      if (client.receivedAt[seq] !== 0) client.duplicates += 1;
      else {
        client.receivedAt[seq] = at - started || 1e-3;
        client.received += 1;
      }
    }
    index = buf.indexOf(marker, i);
  }
}

/** A copy of buf[from..] of its own: a view, or a pooled copy, would keep a whole 64 or 8 KB block alive. */
function keep(buf, from) {
  const copy = Buffer.allocUnsafeSlow(buf.length - from);
  buf.copy(copy, 0, from);
  return copy;
}

/** An SSE stream: frames are cut at "\n\n"; an unfinished frame waits in `tail`. */
function openSse(client, target, onOpen, onFail, onRefused) {
  const socket = net.connect(target.port, '127.0.0.1');
  socket.setNoDelay(true);
  socket.write(
    `GET ${target.path} HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nAccept: text/event-stream\r\n${target.token ? `Authorization: Bearer ${target.token}\r\n` : ''}\r\n`,
  );
  let headed = false;
  /** @type {Buffer | undefined} */
  let tail;
  socket.on('data', (/** @type {Buffer} */ data) => {
    const at = now();
    const buf = tail ? Buffer.concat([tail, data]) : data;
    tail = undefined;
    let start = 0;
    if (!headed) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return void (tail = keep(buf, 0));
      const status = buf.toString('latin1', 9, 12);
      if (status === '503' || status === '429') return onRefused();
      if (status !== '200') return onFail(`stream answered ${status}`);
      headed = true;
      start = end + 4;
      onOpen();
    }
    const last = buf.lastIndexOf('\n\n');
    if (last < start) {
      if (start < buf.length) tail = keep(buf, start);
      return;
    }
    scan(client, buf, start, last, at);
    if (last + 2 < buf.length) tail = keep(buf, last + 2);
  });
  return socket;
}

/** A client-to-server WebSocket text frame (masked, as RFC 6455 requires of clients). */
function wsFrame(text) {
  const payload = Buffer.from(text);
  const long = payload.length > 125;
  const header = Buffer.alloc(long ? 8 : 6);
  header[0] = 0x81;
  header[1] = 0x80 | (long ? 126 : payload.length);
  if (long) header.writeUInt16BE(payload.length, 2);
  const mask = randomBytes(4);
  mask.copy(header, long ? 4 : 2);
  for (let i = 0; i < payload.length; i += 1) payload[i] ^= mask[i & 3];
  return Buffer.concat([header, payload]);
}

/** socket.io over a WebSocket: engine.io open (0), connect with auth (40), ping (2) -> pong (3), events (42). */
function openSocketIo(client, target, onOpen, onFail, _onRefused) {
  const socket = net.connect(target.port, '127.0.0.1');
  socket.setNoDelay(true);
  socket.write(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let headed = false;
  /** @type {Buffer | undefined} */
  let tail;
  socket.on('data', (/** @type {Buffer} */ data) => {
    const at = now();
    const buf = tail ? Buffer.concat([tail, data]) : data;
    tail = undefined;
    let i = 0;
    if (!headed) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return void (tail = keep(buf, 0));
      const status = buf.toString('latin1', 9, 12);
      if (status !== '101') return onFail(`upgrade answered ${status}`);
      headed = true;
      i = end + 4;
    }
    while (i + 2 <= buf.length) {
      const opcode = buf[i] & 0x0f;
      let length = buf[i + 1] & 0x7f;
      let at0 = i + 2;
      if (length === 126) {
        if (at0 + 2 > buf.length) break;
        length = buf.readUInt16BE(at0);
        at0 += 2;
      } else if (length === 127) {
        if (at0 + 8 > buf.length) break;
        length = Number(buf.readBigUInt64BE(at0));
        at0 += 8;
      }
      if (at0 + length > buf.length) break;
      if (opcode === 1) {
        const type = buf[at0];
        if (type === 0x34 /* 4: message */ && buf[at0 + 1] === 0x32 /* 2: event */) scan(client, buf, at0, at0 + length, at);
        else if (type === 0x32 /* 2: ping */ && length === 1) socket.write(wsFrame('3'));
        else if (type === 0x30 /* 0: open */) socket.write(wsFrame(`40${JSON.stringify({ token: target.token })}`));
        else if (type === 0x34 && buf[at0 + 1] === 0x30 /* 40: connected */) onOpen();
        else if (type === 0x34 && buf[at0 + 1] === 0x34 /* 44: refused */)
          return onFail(`socket.io refused: ${buf.toString('utf8', at0, at0 + length)}`);
      } else if (opcode === 8) return onFail('server closed the WebSocket');
      i = at0 + length;
    }
    if (i < buf.length) tail = keep(buf, i);
  });
  return socket;
}

/** Opens every connection, CONNECTING at a time; resolves when all are open (registered with the server). */
function connect(kind, targets, messages) {
  const open = kind === 'socket.io' ? openSocketIo : openSse;
  let next = 0;
  let opened = 0;
  return new Promise((resolve, reject) => {
    const one = () => {
      if (next >= targets.length) return;
      const target = targets[next++];
      const client = { receivedAt: new Float32Array(messages), received: 0, duplicates: 0, socket: undefined };
      let done = false;
      const settled = () => {
        if (++opened === targets.length) resolve(undefined);
        one();
      };
      client.socket = open(
        client,
        target,
        () => {
          if (done) return;
          done = true;
          clients.push(client);
          settled();
        },
        (/** @type {string} */ why) => reject(new Error(why)),
        () => {
          if (done) return;
          done = true;
          refused += 1;
          client.socket?.destroy();
          settled();
        },
      );
      client.socket.on('error', (error) => reject(error));
      client.socket.on('close', () => {
        if (!done) reject(new Error('connection closed before it opened'));
      });
    };
    for (let i = 0; i < CONNECTING; i += 1) one();
  });
}

/** Receipt minus the POST's 201, for every delivery, into a histogram (ms, BUCKET_MS wide). */
function finish(createdAt, expected) {
  const histogram = new Uint32Array(MAX_MS / BUCKET_MS + 1);
  let overflow = 0;
  let received = 0;
  let duplicates = 0;
  let complete = 0;
  for (const client of clients) {
    received += client.received;
    duplicates += client.duplicates;
    if (client.received === expected) complete += 1;
    for (let seq = 0; seq < expected; seq += 1) {
      const at = client.receivedAt[seq];
      if (!at) continue;
      // A message can arrive before the poster has read its 201: that counts as 0.
      const bucket = Math.round((at + started + epochOffset - createdAt[seq]) / BUCKET_MS);
      if (bucket >= histogram.length) overflow += 1;
      else histogram[Math.max(0, bucket)] += 1;
    }
  }
  // Sent sparse: most buckets are empty.
  const buckets = [];
  for (let i = 0; i < histogram.length; i += 1) if (histogram[i] > 0) buckets.push([i, histogram[i]]);
  return { clients: clients.length, refused, expected: expected * clients.length, received, duplicates, complete, buckets, overflow };
}

process.on('message', (/** @type {any} */ message) => {
  if (message.type === 'connect') {
    marker = Buffer.from(`bench ${message.run} `);
    started = now();
    connect(message.kind, message.targets, message.messages).then(
      () => process.send?.({ type: 'connected' }),
      (/** @type {Error} */ error) => process.send?.({ type: 'failed', message: error.message }),
    );
  } else if (message.type === 'finish') {
    // Every client has everything, or the deadline passed: report either way.
    const deadline = Date.now() + message.graceMs;
    const check = () => {
      if (clients.every((client) => client.received >= message.expected) || Date.now() > deadline) {
        for (const client of clients) client.socket?.destroy();
        process.send?.({ type: 'summary', summary: finish(message.createdAt, message.expected) });
      } else setTimeout(check, 50);
    };
    check();
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
