import Router from '@koa/router';
import supertest from 'supertest';
import { directOnly, loadOpsAccess, type OpsAccess } from '../../src/http/ops-access';
import { testApp } from '../support/app';

const TOKEN = 'ops-token-0123456789abcdef';
const ROUTED = { 'X-Forwarded-For': '203.0.113.7' };

function opsApp(ops: OpsAccess = { metricsToken: TOKEN, publicVersion: true, internalViaRouter: false }) {
  const router = new Router();
  router.post('/api/internal/thing', directOnly(), (ctx) => {
    ctx.body = { ok: true };
  });
  return supertest(testApp([router], { readiness: { 'users-db': async () => 'PONG' }, ops }).app.callback());
}

describe('ops routes through a router (X-Forwarded-For)', () => {
  const request = opsApp();

  test.each(['/metrics', '/ready'])('when %s is asked through a router without the token, then 404 as if absent', async (path) => {
    const response = await request.get(path).set(ROUTED);
    expect([response.status, response.body.error?.code, response.text.includes('users-db')]).toEqual([404, 'not_found', false]);
  });

  test.each(['/metrics', '/ready'])('when %s is asked through a router with a wrong token, then 404', async (path) => {
    const response = await request.get(path).set(ROUTED).set('Authorization', `Bearer ${TOKEN}x`);
    expect(response.status).toBe(404);
  });

  test.each(['/metrics', '/ready'])('when %s is asked through a router with the token, then it answers', async (path) => {
    const response = await request.get(path).set(ROUTED).set('Authorization', `Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
  });

  test.each(['/metrics', '/ready', '/health'])('when %s is asked on the instance port (no router hop), then it answers', async (path) => {
    const response = await request.get(path);
    expect(response.status).toBe(200);
  });

  test('when /health is asked through a router, then it answers', async () => {
    const response = await request.get('/health').set(ROUTED);
    expect([response.status, response.body]).toEqual([200, { status: 'ok' }]);
  });

  test('when /version is asked through a router, then app and version only; directly, the commit too', async () => {
    const routed = await request.get('/version').set(ROUTED);
    const direct = await request.get('/version');
    expect([routed.status, routed.body, direct.status, direct.body]).toEqual([
      200,
      { app: 'kit-test', version: '0.0.1' },
      200,
      { app: 'kit-test', version: '0.0.1', commit: 'abc123' },
    ]);
  });

  test('when PUBLIC_VERSION is off, then a routed /version is 404 without the token', async () => {
    const hidden = opsApp({ metricsToken: TOKEN, publicVersion: false, internalViaRouter: false });
    const [without, withToken] = await Promise.all([
      hidden.get('/version').set(ROUTED),
      hidden.get('/version').set(ROUTED).set('Authorization', `Bearer ${TOKEN}`),
    ]);
    expect([without.status, withToken.status, withToken.body.commit]).toEqual([404, 200, 'abc123']);
  });

  test('when no token is set, then no bearer opens the ops routes through a router', async () => {
    const closed = opsApp({ publicVersion: true, internalViaRouter: false });
    const response = await closed.get('/metrics').set(ROUTED).set('Authorization', 'Bearer undefined');
    expect(response.status).toBe(404);
  });

  test('when an internal route is called through a router, then 404; directly, it answers', async () => {
    const [routed, direct] = await Promise.all([request.post('/api/internal/thing').set(ROUTED), request.post('/api/internal/thing')]);
    expect([routed.status, routed.body.error.code, direct.status]).toEqual([404, 'not_found', 200]);
  });

  test('when INTERNAL_ROUTES_VIA_ROUTER is on, then an internal route answers routed requests', async () => {
    const open = opsApp({ metricsToken: TOKEN, publicVersion: true, internalViaRouter: true });
    const response = await open.post('/api/internal/thing').set(ROUTED);
    expect(response.status).toBe(200);
  });
});

describe('loadOpsAccess', () => {
  test('when nothing is set, then no token and a public /version', () => {
    expect(loadOpsAccess({})).toEqual({ metricsToken: undefined, publicVersion: true, internalViaRouter: false });
  });

  test('when the token is set, then it is used', () => {
    expect(loadOpsAccess({ METRICS_TOKEN: TOKEN, PUBLIC_VERSION: 'false', INTERNAL_ROUTES_VIA_ROUTER: 'true' })).toEqual({
      metricsToken: TOKEN,
      publicVersion: false,
      internalViaRouter: true,
    });
  });

  test.each([
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN: expected a secret of at least 16 characters'],
    [{ PUBLIC_VERSION: 'no' }, 'PUBLIC_VERSION: expected true or false: value was "no"'],
  ])('when %j, then one config error line without the secret', (env, message) => {
    expect(() => loadOpsAccess(env)).toThrow(message);
  });
});
