// Child process of run.js: holds many raw SSE connections (node:http, no EventSource, so the
// client side stays cheap) and notes when each receives each message. Talks to run.js over
// IPC; at the end run.js sends the time of every POST's 201 and this computes the latencies.
'use strict';
const http = require('node:http');
const { performance } = require('node:perf_hooks');

const BUCKET_MS = 0.1; // latency histogram resolution
const MAX_MS = 10_000;
const histogram = new Uint32Array(MAX_MS / BUCKET_MS + 1);
/** receivedAt[seq]: when the message arrived (epoch ms), 0 while it has not. */
/** @type {Array<{ receivedAt: Float64Array, received: number, duplicates: number, req: http.ClientRequest | undefined }>} */
const clients = [];
let run = '';
let expected = 0;
let overflow = 0;

const now = () => performance.timeOrigin + performance.now();
const SEQ = /"text":"bench (\w+) (\d+)"/g;

/** @param {{ url: string, count: number, token: string }[]} targets @param {number} messages */
function connect(targets, messages) {
  let pending = targets.reduce((sum, target) => sum + target.count, 0);
  return new Promise((resolve, reject) => {
    for (const target of targets) {
      for (let i = 0; i < target.count; i += 1) {
        const client = { receivedAt: new Float64Array(messages), received: 0, duplicates: 0, req: /** @type {http.ClientRequest | undefined} */ (undefined) };
        clients.push(client);
        const req = http.get(`${target.url}/api/events`, { agent: false, headers: { Accept: 'text/event-stream', Authorization: `Bearer ${target.token}` } }, (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`stream answered ${res.statusCode}`));
            return;
          }
          // Frames are cut only at "\n\n"; the bench fields are found with one global
          // regular expression over each run of whole frames (cheap: no JSON, no splitting).
          let tail = '';
          let open = false;
          res.on('data', (/** @type {Buffer} */ chunk) => {
            const text = tail + chunk.toString('latin1');
            const lastEnd = text.lastIndexOf('\n\n');
            if (lastEnd < 0) {
              tail = text;
              return;
            }
            tail = text.slice(lastEnd + 2);
            if (!open && text.startsWith('retry:')) {
              open = true;
              if (--pending === 0) resolve(undefined);
            }
            const received = now();
            SEQ.lastIndex = 0;
            let match;
            while ((match = SEQ.exec(text)) !== null && match.index < lastEnd) {
              if (match[1] !== run) continue;
              const seq = Number(match[2]);
              if (client.receivedAt[seq]) {
                client.duplicates += 1;
                continue;
              }
              client.receivedAt[seq] = received;
              client.received += 1;
            }
          });
        });
        req.on('error', reject);
        client.req = req;
      }
    }
  });
}

/** @param {number} fraction */
function percentile(fraction) {
  const total = histogram.reduce((sum, n) => sum + n, 0) + overflow;
  let seen = 0;
  for (let i = 0; i < histogram.length; i += 1) {
    seen += histogram[i] ?? 0;
    if (seen >= total * fraction) return i * BUCKET_MS;
  }
  return Infinity;
}

/**
 * Fills the histogram: for every delivery, its receipt minus its POST's 201. A message can
 * arrive before the poster has read its 201 (it is published while the request is
 * answered): that counts as 0.
 * @param {number[]} createdAt
 */
function latencies(createdAt) {
  for (const client of clients) {
    for (let seq = 0; seq < client.receivedAt.length; seq += 1) {
      const at = client.receivedAt[seq] ?? 0;
      if (at === 0) continue;
      const bucket = Math.round((at - (createdAt[seq] ?? at)) / BUCKET_MS);
      if (bucket >= histogram.length) overflow += 1;
      else histogram[Math.max(0, bucket)] += 1;
    }
  }
}

function summary() {
  let received = 0;
  let duplicates = 0;
  let complete = 0;
  for (const client of clients) {
    received += client.received;
    duplicates += client.duplicates;
    if (client.received === expected) complete += 1;
  }
  return { clients: clients.length, expected: expected * clients.length, received, lost: expected * clients.length - received, duplicates, complete, p50: percentile(0.5), p99: percentile(0.99), max: percentile(1) };
}

process.on('message', (/** @type {any} */ message) => {
  if (message.type === 'connect') {
    run = message.run;
    connect(message.targets, message.messages).then(
      () => process.send?.({ type: 'connected' }),
      (/** @type {Error} */ error) => process.send?.({ type: 'failed', message: error.message }),
    );
  } else if (message.type === 'finish') {
    // Every client has everything, or the deadline passed: report either way.
    expected = message.expected;
    const deadline = Date.now() + message.graceMs;
    const check = () => {
      const done = clients.every((client) => client.received >= expected);
      if (done || Date.now() > deadline) {
        for (const client of clients) client.req?.destroy();
        latencies(message.createdAt);
        process.send?.({ type: 'summary', summary: summary() });
      } else setTimeout(check, 50);
    };
    check();
  }
});
