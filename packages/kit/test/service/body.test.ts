import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import Router from '@koa/router';
import supertest from 'supertest';
import { requireAuth } from '../../src/auth/middleware';
import { createTokenVerifier } from '../../src/auth/verifier';
import { jsonBody, rawBody, requestBody } from '../../src/http/body';
import { createTestTokens, TEST_AUDIENCE, TEST_ISSUER, type TestTokens } from '../../src/testing/test-tokens';
import { stackRecords, testApp } from '../support/app';

let tokens: TestTokens;
beforeAll(async () => {
  tokens = await createTestTokens();
});

/** POST /json parses JSON, POST /raw takes bytes, POST /authed parses only after auth. */
function bodyApp() {
  const verify = createTokenVerifier({
    keys: (header, token) => tokens.keys(header, token),
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    isRevoked: async () => false,
  });
  const router = new Router();
  router.post('/json', jsonBody({ limit: '1kb' }), (ctx) => {
    ctx.body = { received: requestBody(ctx) ?? null };
  });
  router.post('/raw', rawBody({ limit: '1kb' }), (ctx) => {
    const raw = ctx.request.rawBody;
    ctx.body = { type: ctx.get('Content-Type'), hex: raw?.toString('hex') ?? null };
  });
  router.post('/authed', requireAuth(verify), jsonBody(), (ctx) => {
    ctx.body = { received: requestBody(ctx) ?? null };
  });
  return testApp([router]);
}

describe('jsonBody: Content-Encoding', () => {
  const { app, sink } = bodyApp();
  // serialize: the bytes as given (superagent would JSON-encode a Buffer sent as JSON).
  const post = () =>
    supertest(app.callback())
      .post('/json')
      .set('Content-Type', 'application/json')
      .serialize((body: unknown) => body as string);
  afterEach(() => expect(stackRecords(sink)).toEqual([]));

  test.each(['gzip', 'deflate', 'br'])('when the body says %s but is not, then 400 invalid_request', async (encoding) => {
    const response = await post().set('Content-Encoding', encoding).send('{"a":1}');
    expect([response.status, response.body.error]).toEqual([
      400,
      {
        code: 'invalid_request',
        message: 'the body is not valid data for its Content-Encoding',
        request_id: response.headers['x-request-id'],
      },
    ]);
  });

  test('when the encoding is one the kit does not know, then 415 unsupported_media_type', async () => {
    const response = await post().set('Content-Encoding', 'zstd').send('{"a":1}');
    expect([response.status, response.body.error]).toEqual([
      415,
      {
        code: 'unsupported_media_type',
        message: 'Unsupported Content-Encoding: zstd (identity, gzip, deflate or br)',
        request_id: response.headers['x-request-id'],
      },
    ]);
  });

  test.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
  ])('when the body is really %s, then it is parsed', async (encoding, compress) => {
    const response = await post()
      .set('Content-Encoding', encoding)
      .send(compress(Buffer.from('{"a":1}')));
    expect([response.status, response.body]).toEqual([200, { received: { a: 1 } }]);
  });

  test('when a gzip body inflates past the limit, then 413', async () => {
    const response = await post()
      .set('Content-Encoding', 'gzip')
      .send(gzipSync(Buffer.from(JSON.stringify({ a: 'x'.repeat(4096) }))));
    expect([response.status, response.body.error.code]).toEqual([413, 'payload_too_large']);
  });
});

describe('jsonBody: characters', () => {
  const { app, sink } = bodyApp();
  const post = (contentType = 'application/json') =>
    supertest(app.callback())
      .post('/json')
      .set('Content-Type', contentType)
      .serialize((body: unknown) => body as string);
  afterEach(() => expect(stackRecords(sink)).toEqual([]));

  test('when the bytes are not valid UTF-8, then 400 invalid_request, not a text with U+FFFD in place of what was sent', async () => {
    const response = await post().send(Buffer.from([...Buffer.from('{"text":"caf'), 0xe9, ...Buffer.from('"}')]));
    expect([response.status, response.body.error.code, response.body.error.message]).toEqual([
      400,
      'invalid_request',
      'malformed JSON body: it is not valid UTF-8',
    ]);
  });

  test('when the charset is another than UTF-8, then 415: JSON is UTF-8 (RFC 8259 8.1)', async () => {
    const response = await post('application/json; charset=latin1').send(
      Buffer.from([...Buffer.from('{"text":"caf'), 0xe9, ...Buffer.from('"}')]),
    );
    expect([response.status, response.body.error.code, response.body.error.message]).toEqual([
      415,
      'unsupported_media_type',
      'JSON is read as UTF-8 only (RFC 8259), got charset=latin1',
    ]);
  });

  test('when the charset says UTF-8 and the text has accents and emoji, then it is parsed as sent', async () => {
    const response = await post('application/json; charset=UTF-8').send(Buffer.from('{"a":"café 😀"}'));
    expect([response.status, response.body]).toEqual([200, { received: { a: 'café 😀' } }]);
  });

  test('when the body is JSON but not an object or an array, then 400 invalid_request', async () => {
    const response = await post().send('"just a string"');
    expect([response.status, response.body.error.code]).toEqual([400, 'invalid_request']);
  });
});

describe('rawBody', () => {
  const { app } = bodyApp();

  test('when a route takes a raw body, then it gets the bytes whatever their type', async () => {
    const response = await supertest(app.callback())
      .post('/raw')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('a=1&b=%FF');
    expect([response.status, response.body]).toEqual([
      200,
      { type: 'application/x-www-form-urlencoded', hex: Buffer.from('a=1&b=%FF').toString('hex') },
    ]);
  });

  test('when the raw body is over the limit, then 413', async () => {
    const response = await supertest(app.callback()).post('/raw').set('Content-Type', 'application/octet-stream').send(Buffer.alloc(2048));
    expect([response.status, response.body.error.code]).toEqual([413, 'payload_too_large']);
  });
});

describe('a route that parses after its auth', () => {
  const { app } = bodyApp();

  test('when a caller with a token posts JSON, then it is parsed', async () => {
    const token = await tokens.sign({ id: 'u-body', nickname: 'bodyann' });
    const response = await supertest(app.callback()).post('/authed').set('Authorization', `Bearer ${token}`).send({ a: 1 });
    expect([response.status, response.body]).toEqual([200, { received: { a: 1 } }]);
  });

  test('when an unauthenticated caller starts a body, then 401 comes before the body is sent', async () => {
    // Headers promise 100 kB; only the first bytes are ever sent. A server that read the
    // body before auth would wait for the rest and never answer, failing the test.
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/authed',
          headers: { 'Content-Type': 'application/json', 'Content-Length': '102400' },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', reject);
        req.write('{"a":"');
      });
      expect(status).toBe(401);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
