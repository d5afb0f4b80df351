import Router from '@koa/router';
import supertest from 'supertest';
import { jsonBody } from '../../src/http/body';
import { accessLine, stackRecords, testApp } from '../support/app';

const UUID = /^[0-9a-f-]{36}$/;

function echoRouter(): Router {
  const router = new Router({ prefix: '/api/things' });
  router.post('/', jsonBody({ limit: '1kb' }), (ctx) => {
    ctx.status = 201;
    ctx.body = { received: ctx.request.body ?? null };
  });
  router.get('/:id', (ctx) => {
    ctx.body = { id: ctx.params.id };
  });
  return router;
}

describe('createApp: bad input', () => {
  const { app, sink } = testApp([echoRouter()]);
  const request = supertest(app.callback());

  afterEach(() => {
    // None of these is the server's fault: no stack, ever.
    expect(stackRecords(sink)).toEqual([]);
  });

  test('when the route is unknown, then 404 JSON with the request id', async () => {
    const response = await request.get('/nowhere?token=secret');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({
      error: { code: 'not_found', message: 'no route for GET /nowhere', request_id: response.headers['x-request-id'] },
    });
    expect(response.headers['x-request-id']).toMatch(UUID);
  });

  test('when the method is wrong, then 405 JSON with Allow', async () => {
    const response = await request.delete('/api/things/7');
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('HEAD, GET');
    expect(response.body.error).toEqual({
      code: 'method_not_allowed',
      message: 'DELETE is not allowed on /api/things/7 (allowed: HEAD, GET)',
      request_id: response.headers['x-request-id'],
    });
  });

  test('when the method is one no router knows (TRACE), then 405 JSON with Allow, not 501', async () => {
    const response = await request.trace('/api/things/7');
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('HEAD, GET');
    expect(response.body.error).toEqual({
      code: 'method_not_allowed',
      message: 'TRACE is not allowed on /api/things/7 (allowed: HEAD, GET)',
      request_id: response.headers['x-request-id'],
    });
  });

  test('when the JSON body is over the limit, then 413 payload_too_large', async () => {
    const response = await request.post('/api/things').send({ text: 'x'.repeat(2048) });
    expect(response.status).toBe(413);
    expect(response.body.error).toEqual({
      code: 'payload_too_large',
      message: 'the body is over the 1kb limit',
      request_id: response.headers['x-request-id'],
    });
  });

  test('when the content type is not JSON, then 415 unsupported_media_type', async () => {
    const response = await request.post('/api/things').set('Content-Type', 'text/plain').send('hello');
    expect(response.status).toBe(415);
    expect(response.body.error).toEqual({
      code: 'unsupported_media_type',
      message: 'expected Content-Type: application/json, got text/plain',
      request_id: response.headers['x-request-id'],
    });
  });

  test('when a body has no content type, then 415', async () => {
    const response = await request.post('/api/things').set('Content-Type', '').send(Buffer.from('{}'));
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('unsupported_media_type');
  });

  test('when the JSON is malformed, then 400 invalid_request', async () => {
    const response = await request.post('/api/things').set('Content-Type', 'application/json').send('{"text": ');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.message).toMatch(/^malformed JSON body/);
    expect(response.body.error.request_id).toBe(response.headers['x-request-id']);
  });

  test('when a +json type carries valid JSON, then it is parsed', async () => {
    const response = await request.post('/api/things').set('Content-Type', 'application/merge-patch+json').send('{"a":1}');
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ received: { a: 1 } });
  });

  test('when a POST has no body, then it passes with no parsed body', async () => {
    const response = await request.post('/api/things');
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ received: null });
  });

  test.each([
    ['10 kB', 'a'.repeat(10_240)],
    // Node's client refuses most control characters in a header; a tab is the one that travels.
    ['a control character', `${'a'.repeat(12)}\t${'a'.repeat(12)}`],
  ])('when the request id header is %s, then a new id is made and the 404 still carries it', async (_, id) => {
    const response = await request.get('/nowhere').set('X-Request-Id', id);
    expect(response.status).toBe(404);
    expect(response.headers['x-request-id']).toMatch(UUID);
    expect(response.body.error.request_id).toBe(response.headers['x-request-id']);
  });

  test('when a sane request id is sent, then it is echoed and used in the access line', async () => {
    const id = 'req-0123456789abcdefghij';
    const response = await request.get('/api/things/1').set('X-Request-Id', id);
    expect(response.headers['x-request-id']).toBe(id);
    expect(accessLine(sink, id)).toMatchObject({ status: 200, route: '/api/things/:id' });
  });

  test('when X-Vcap-Request-Id is sane, then it is the request id', async () => {
    const id = '1b2c3d4e-0000-1111-2222-333344445555';
    const response = await request.get('/api/things/1').set('X-Vcap-Request-Id', id);
    expect(response.headers['x-request-id']).toBe(id);
  });
});
