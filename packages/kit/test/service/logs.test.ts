import Router from '@koa/router';
import supertest from 'supertest';
import { jsonBody } from '../../src/http/body';
import { accessLine, stackRecords, testApp } from '../support/app';

function routes(): Router {
  const router = new Router({ prefix: '/api/users' });
  router.get('/:id', (ctx) => {
    ctx.body = { id: ctx.params.id, ip: ctx.ip, protocol: ctx.protocol };
  });
  router.post('/login', jsonBody(), (ctx) => {
    // An app that carelessly logs what it received, headers and body.
    ctx.log.info(
      { req: { headers: ctx.headers }, body: ctx.request.body, password: 'p4ss', token: 'tok', access_token: 'at', secret: 's3' },
      'login attempt',
    );
    ctx.status = 204;
  });
  router.get('/:id/boom', () => {
    throw new Error('database exploded');
  });
  return router;
}

describe('access log and request logger', () => {
  const { app, sink } = testApp([routes()]);
  const request = supertest(app.callback());

  test('when a route with a parameter answers, then one access line with the template, not the path or query', async () => {
    const id = 'access-0123456789abcdefgh';
    const response = await request.get('/api/users/42?access_token=very-secret').set('X-Request-Id', id);
    expect(response.status).toBe(200);
    const lines = sink.records.filter((record) => record.request_id === id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'request',
      app: 'kit-test',
      instance: '0',
      version: '0.0.1',
      method: 'GET',
      route: '/api/users/:id',
      path: '/api/users/42',
      status: 200,
      bytes: Number(response.headers['content-length']),
    });
    expect(typeof lines[0]?.duration_ms).toBe('number');
    expect(lines[0]?.duration_ms).toBeGreaterThanOrEqual(0);
    expect(sink.text()).not.toContain('very-secret');
  });

  test('when the router forwards the client address, then ctx.ip and the scheme come from X-Forwarded-*', async () => {
    const response = await request.get('/api/users/1').set('X-Forwarded-For', '203.0.113.9').set('X-Forwarded-Proto', 'https');
    expect(response.body).toEqual({ id: '1', ip: '203.0.113.9', protocol: 'https' });
  });

  test('when a route logs headers, passwords and tokens, then they are redacted', async () => {
    const id = 'redact-0123456789abcdefgh';
    await request
      .post('/api/users/login')
      .set('X-Request-Id', id)
      .set('Authorization', 'Bearer header-token-value')
      .set('Cookie', 'session=cookie-value')
      .set('X-Service-Key', 'service-key-value')
      .send({ nickname: 'ann', password: 'body-password-value' })
      .expect(204);
    const line = sink.records.find((record) => record.msg === 'login attempt' && record.request_id === id);
    expect(line).toMatchObject({
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', 'x-service-key': '[redacted]' } },
      body: { nickname: 'ann', password: '[redacted]' },
      password: '[redacted]',
      token: '[redacted]',
      access_token: '[redacted]',
      secret: '[redacted]',
    });
    for (const secret of ['header-token-value', 'cookie-value', 'service-key-value', 'body-password-value', 'p4ss']) {
      expect(sink.text()).not.toContain(secret);
    }
  });

  test('when a handler throws, then 500 internal_error and its stack is logged exactly once', async () => {
    const id = 'boom-0123456789abcdefghij';
    const response = await request.get('/api/users/1/boom').set('X-Request-Id', id);
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'internal_error', message: 'internal error', request_id: id } });
    const withStack = stackRecords(sink).filter((record) => record.request_id === id);
    expect(withStack).toHaveLength(1);
    expect(withStack[0]).toMatchObject({ level: 'error', err: { message: 'database exploded' } });
    expect(accessLine(sink, id)).toMatchObject({ status: 500, route: '/api/users/:id/boom' });
  });

  test('when any response is sent, then the OWASP REST security headers are on it', async () => {
    for (const path of ['/api/users/1', '/nowhere']) {
      const response = await request.get(path);
      expect(response.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      });
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  test.each([
    [{ 'X-Forwarded-Proto': 'https' }, 'max-age=31536000; includeSubDomains'],
    [{ 'X-Forwarded-Proto': 'https, http' }, 'max-age=31536000; includeSubDomains'],
    [{ 'X-Forwarded-Proto': 'http' }, undefined],
    [{}, undefined],
  ])('when the request came with %j, then Strict-Transport-Security is %s (never over plain HTTP, RFC 6797)', async (headers, expected) => {
    const response = await request.get('/api/users/1').set(headers);
    expect(response.headers['strict-transport-security']).toBe(expected);
  });

  test('when the run is over, then every line written parses as JSON', () => {
    const lines = sink
      .text()
      .split('\n')
      .filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(sink.records);
  });
});
