import { loadOpenApi } from '@bundle/kit';
import { OPENAPI_PATH } from '../../src/app';
import { eventsRouter, type EventsRouteDeps } from '../../src/routes/events';
import request from 'supertest';
import { allocateTestDatabase, createTestTokens } from '@bundle/kit/testing';
import { startPush } from '../support/harness';

describe('openapi.yaml', () => {
  test('when compared with the routes, then every route is documented and nothing else', () => {
    const router = eventsRouter({} as EventsRouteDeps);
    // HEAD is documented too: it answers at once, without a stream (see routes/events.ts).
    const routes = router.stack.flatMap((layer) => layer.methods.map((method) => `${method} ${layer.path}`));
    const paths = loadOpenApi(OPENAPI_PATH).paths as Record<string, Record<string, unknown>>;
    const documented = Object.entries(paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // The kit's operational routes and /openapi.json are documented too; eventsRouter is the rest.
    const operational = ['GET /health', 'GET /ready', 'GET /version', 'GET /metrics', 'GET /openapi.json'];
    expect(documented.sort()).toEqual([...routes, ...operational].sort());
  });

  test('when GET /openapi.json is asked, then the same document is served', async () => {
    const push = await startPush({ redisUrl: await allocateTestDatabase(), tokens: await createTestTokens() });
    const res = await request(push.url).get('/openapi.json');
    await push.stop();
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: loadOpenApi(OPENAPI_PATH) });
  });
});
