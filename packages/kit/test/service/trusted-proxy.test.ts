import Router from '@koa/router';
import supertest from 'supertest';
import { testApp } from '../support/app';

/** An app that answers with the client address and scheme it believes in. */
function whoAmI(trustedProxyHops?: number) {
  const router = new Router();
  router.get('/who', (ctx) => {
    ctx.body = { ip: ctx.ip, protocol: ctx.protocol };
  });
  const { app } = testApp([router], trustedProxyHops === undefined ? {} : { trustedProxyHops });
  return supertest(app.callback());
}

describe('createApp client address (trustedProxyHops)', () => {
  test('when the client forges the first X-Forwarded-For entry, then the address the one trusted router appended is the client', async () => {
    const response = await whoAmI().get('/who').set('X-Forwarded-For', '6.6.6.6, 203.0.113.7').set('X-Forwarded-Proto', 'https');

    expect(response.body).toEqual({ ip: '203.0.113.7', protocol: 'https' });
  });

  test('when two routers are trusted (a load balancer before the platform router), then the entry the outer one appended is the client', async () => {
    const response = await whoAmI(2).get('/who').set('X-Forwarded-For', '6.6.6.6, 198.51.100.4, 10.0.0.9');

    expect(response.body.ip).toBe('198.51.100.4');
  });

  test('when no router is trusted, then X-Forwarded-* is ignored', async () => {
    const response = await whoAmI(0).get('/who').set('X-Forwarded-For', '6.6.6.6').set('X-Forwarded-Proto', 'https');

    expect(response.body).toEqual({ ip: expect.not.stringContaining('6.6.6.6'), protocol: 'http' });
  });
});
