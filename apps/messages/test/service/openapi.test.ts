import { join } from 'node:path';
import type Router from '@koa/router';
import { loadOpenApi } from '@bundle/kit';
import supertest from 'supertest';
import { startHarness, type Harness } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const document = loadOpenApi(join(__dirname, '..', '..', 'openapi.yaml')) as { paths: Record<string, Record<string, unknown>> };

/** "METHOD /path/{param}" for every route the app serves, the kit's operational ones included. */
function appRoutes(): string[] {
  const routes = new Set<string>();
  for (const middleware of h.app.middleware) {
    const router = (middleware as { router?: Router }).router;
    for (const layer of router?.stack ?? []) {
      const path = String(layer.path);
      for (const method of layer.methods) {
        if (method === 'HEAD') continue;
        routes.add(`${method} ${path.replace(/\/$/, '').replace(/:(\w+)/g, '{$1}')}`);
      }
    }
  }
  return [...routes].sort();
}

describe('GET /openapi.json', () => {
  test('when asked, then the contract from openapi.yaml', async () => {
    const response = await supertest(h.app.callback()).get('/openapi.json');
    expect([response.status, response.body]).toEqual([200, document]);
  });

  test('when compared with the routes, then every route is documented and every documented route exists', () => {
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(appRoutes()).toEqual(documented);
    expect(documented).toHaveLength(9);
    expect(documented).toEqual(expect.arrayContaining(['GET /health', 'GET /ready', 'GET /version', 'GET /metrics', 'GET /openapi.json']));
  });
});
