import type Router from '@koa/router';
import { loadOpenApi } from '@bundle/kit';
import { OPENAPI_PATH } from '../../src/app';
import { startHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** "METHOD /path/{param}" for every route the app's routers serve (HEAD comes free with GET). */
function servedRoutes(): string[] {
  const routes = new Set<string>();
  for (const middleware of harness.app.middleware) {
    const router = (middleware as { router?: Router }).router;
    for (const layer of router?.stack ?? []) {
      const path = String(layer.path)
        .replace(/:(\w+)/g, '{$1}')
        .replace(/(.)\/$/, '$1');
      for (const method of layer.methods) if (method !== 'HEAD') routes.add(`${method} ${path}`);
    }
  }
  return [...routes].sort();
}

function documentedRoutes(): string[] {
  const paths = loadOpenApi(OPENAPI_PATH).paths as Record<string, Record<string, unknown>>;
  return Object.entries(paths)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => HTTP_METHODS.includes(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

describe('openapi.yaml', () => {
  test('when compared with the routers, then every route is documented and every documented route is served', () => {
    const served = servedRoutes();

    expect(served.length).toBeGreaterThan(5);
    expect(documentedRoutes()).toEqual(served);
  });

  test('when read, then it is OpenAPI 3.1 and every operation documents its responses', () => {
    const document = loadOpenApi(OPENAPI_PATH);
    const operations = Object.values(document.paths as Record<string, Record<string, { responses?: object }>>).flatMap((item) =>
      Object.values(item),
    );

    expect(document.openapi).toBe('3.1.0');
    for (const operation of operations) expect(Object.keys(operation.responses ?? {}).length).toBeGreaterThan(0);
  });

  test('when GET /openapi.json is asked, then it is openapi.yaml itself', async () => {
    const response = await harness.request.get('/openapi.json');

    expect({ status: response.status, body: response.body as unknown }).toEqual({ status: 200, body: loadOpenApi(OPENAPI_PATH) });
  });
});
