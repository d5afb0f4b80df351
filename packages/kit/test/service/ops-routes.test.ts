import Router from '@koa/router';
import supertest from 'supertest';
import { testApp } from '../support/app';

describe('GET /health and /version', () => {
  const { app } = testApp();
  const request = supertest(app.callback());

  test('when the process serves, then /health is 200 ok', async () => {
    const response = await request.get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  test('when asked, then /version gives app, version and commit', async () => {
    const response = await request.get('/version');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ app: 'kit-test', version: '0.0.1', commit: 'abc123' });
  });
});

describe('GET /ready', () => {
  test('when every check answers, then 200 with each check ok', async () => {
    const { app } = testApp([], { readiness: { redis: async () => 'PONG', bus: async () => undefined } });
    const response = await supertest(app.callback()).get('/ready');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toEqual({ status: 'ready', checks: { redis: 'ok', bus: 'ok' } });
  });

  test('when a check fails, then 503 naming it and why', async () => {
    const { app } = testApp([], {
      readiness: { redis: async () => 'PONG', bus: () => Promise.reject(new Error('connection refused')) },
    });
    const response = await supertest(app.callback()).get('/ready');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: 'unavailable', failed: ['bus'], checks: { redis: 'ok', bus: 'error: connection refused' } });
  });

  test('when a check throws before returning a promise, then it is a failed check, not a 500', async () => {
    const { app } = testApp([], {
      readiness: {
        broken: () => {
          throw new Error('no client');
        },
      },
    });
    const response = await supertest(app.callback()).get('/ready');
    expect(response.status).toBe(503);
    expect(response.body.failed).toEqual(['broken']);
  });

  test('when a check hangs, then it times out and /ready is 503 naming it', async () => {
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { app } = testApp([], { readiness: { slow: () => hanging, fast: async () => undefined }, readinessTimeoutMs: 50 });
    const response = await supertest(app.callback()).get('/ready');
    release();
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ status: 'unavailable', failed: ['slow'], checks: { slow: 'timeout', fast: 'ok' } });
  });
});

describe('GET /metrics', () => {
  const router = new Router();
  router.get('/api/items/:id', (ctx) => {
    ctx.body = { id: ctx.params.id };
  });
  const { app } = testApp([router]);
  const request = supertest(app.callback());

  test('when requests were served, then the histogram is labelled by route template, method and status', async () => {
    await request.get('/api/items/1');
    await request.get('/api/items/2');
    await request.post('/api/items/3');
    const response = await request.get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toContain('http_request_duration_seconds_count{route="/api/items/:id",method="GET",status="200"} 2');
    expect(response.text).not.toContain('/api/items/1"');
  });

  test('when unknown paths are requested, then they share one bounded label', async () => {
    for (const path of ['/wp-admin', '/.env', '/a/b/c']) await request.get(path).expect(404);
    const response = await request.get('/metrics');
    expect(response.text).toContain('http_request_duration_seconds_count{route="(unmatched)",method="GET",status="404"} 3');
    expect(response.text).not.toContain('wp-admin');
  });

  test('when process metrics are on, then they are exported too', async () => {
    const { app: full } = testApp([], { processMetrics: true });
    const response = await supertest(full.callback()).get('/metrics');
    expect(response.text).toContain('process_cpu_user_seconds_total');
    expect(response.text).toContain('nodejs_eventloop_lag_seconds');
  });
});
