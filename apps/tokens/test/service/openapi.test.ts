import type Router from '@koa/router';
import { loadOpenApi } from '@bundle/kit';
import { closeTestRedis } from '@bundle/kit/testing';
import { OPENAPI_PATH } from '../../src/app';
import { startHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
  await closeTestRedis();
});

/** "METHOD /path" for every route the app serves, read from the routers it mounted. */
function servedRoutes(): string[] {
  const routers = harness.app.middleware
    .map((middleware) => (middleware as { router?: Router }).router)
    .filter((router) => router !== undefined);
  const routes = routers.flatMap((router) =>
    router.stack.flatMap((layer) =>
      layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${String(layer.path).replace(/\/$/, '') || '/'}`),
    ),
  );
  return [...new Set(routes)].sort();
}

/** "METHOD /path" for every operation openapi.json documents. */
function documentedRoutes(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    )
    .sort();
}

describe('GET /openapi.json', () => {
  test('when asked, then it documents exactly the routes the app serves', async () => {
    const response = await harness.request.get('/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ openapi: expect.stringMatching(/^3\./), info: { title: 'tokens' } });
    expect(documentedRoutes(response.body as { paths: Record<string, Record<string, unknown>> })).toEqual(servedRoutes());
    expect(servedRoutes()).toEqual(expect.arrayContaining(['POST /api/tokens', 'DELETE /api/tokens', 'GET /.well-known/jwks.json']));
  });

  test('when asked, then it is openapi.yaml itself', async () => {
    const response = await harness.request.get('/openapi.json');

    expect({ status: response.status, body: response.body as unknown }).toEqual({ status: 200, body: loadOpenApi(OPENAPI_PATH) });
  });
});

describe('GET /ready', () => {
  test('when both Redis answer, then 200 with tokens-db and event-bus, and the users app is not a check', async () => {
    const response = await harness.request.get('/ready');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: { 'tokens-db': 'ok', 'event-bus': 'ok' } });
  });
});

describe('unknown routes', () => {
  test('when the method is not served on /api/tokens, then 405 in the JSON shape', async () => {
    const response = await harness.request.get('/api/tokens');

    expect(response.status).toBe(405);
    expect(response.body).toEqual({ error: { code: 'method_not_allowed', message: expect.any(String), request_id: expect.any(String) } });
  });
});
