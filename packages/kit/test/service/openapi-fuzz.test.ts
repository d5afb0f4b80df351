import { createHash } from 'node:crypto';
import Koa from 'koa';
import supertest from 'supertest';
import { runFuzz } from '../../src/testing/fuzz-run';
import type { FuzzRequest } from '../../src/testing/openapi-fuzz';

// A server with one fault of each kind the fuzz looks for.
const received: string[] = [];
const app = new Koa();
app.use(async (ctx) => {
  if (ctx.path === '/boom') throw new Error('boom');
  if (ctx.path === '/never') return new Promise<void>(() => undefined);
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  received.push(createHash('sha256').update(Buffer.concat(chunks)).digest('hex'));
  ctx.body = { ok: true };
});
app.silent = true;

describe('runFuzz', () => {
  test('when a request gets a 5xx or no answer, then each is a finding that names the request; a 4xx or 2xx is none', async () => {
    const requests: FuzzRequest[] = [
      { method: 'GET', path: '/fine', headers: {} },
      { method: 'POST', path: '/boom', headers: { 'Content-Type': 'application/json' }, body: Buffer.from('{}') },
      { method: 'POST', path: '/boom', headers: { 'Content-Type': 'application/json' }, body: Buffer.from('[]') },
      { method: 'GET', path: '/never', headers: { 'X-Test': 'yes' } },
    ];

    expect(await runFuzz(supertest(app.callback()), requests, 2000)).toEqual([
      { request: 'POST /boom [Content-Type: application/json] body "{}"', problem: '500 Internal Server Error', times: 2 },
      { request: 'GET /never [X-Test: yes]', problem: 'no answer within 2000 ms', times: 1 },
    ]);
  });

  test('when a body is sent as JSON, then its bytes arrive as they are, not serialized again', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00]);
    received.length = 0;

    await runFuzz(
      supertest(app.callback()),
      [{ method: 'POST', path: '/echo', headers: { 'Content-Type': 'application/json' }, body: bytes }],
      5000,
    );

    expect(received).toEqual([createHash('sha256').update(bytes).digest('hex')]);
  });
});
