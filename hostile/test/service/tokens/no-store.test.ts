import { closeTestRedis } from '@bundle/kit/testing';
import { basic, logIn, startHarness, uniqueNickname, VERIFY_ROUTE, type Harness } from '../../../../apps/tokens/test/service/harness';

// Round 2, item 9: every answer of /api/tokens is no-store: a token above all (RFC 6749
// 5.1), and its refusals too. The JWKS is public and cached on purpose.
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
  await closeTestRedis();
});

describe('Cache-Control on the tokens routes', () => {
  test('when a login succeeds or fails, and when a token is revoked or refused, then no-store; the JWKS stays public', async () => {
    const token = await logIn(harness, uniqueNickname('cache'));
    harness.users.on(VERIFY_ROUTE, () => ({ status: 401, body: { error: { code: 'invalid_credentials', message: 'no' } } }));
    const wrong = await harness.request.post('/api/tokens').set('Authorization', basic(uniqueNickname('cache'), 'wrong password'));
    harness.users.on(VERIFY_ROUTE, (request) => ({ body: { id: 'x', nickname: (request.body as { nickname: string }).nickname } }));
    const answers = [
      await harness.request.post('/api/tokens').set('Authorization', basic(uniqueNickname('cache'), 'right password')),
      wrong,
      await harness.request.post('/api/tokens'),
      await harness.request.delete('/api/tokens').set('Authorization', `Bearer ${token}`),
      await harness.request.delete('/api/tokens'),
      await harness.request.get('/.well-known/jwks.json'),
    ];

    expect(answers.map((response) => [response.status, response.headers['cache-control']])).toEqual([
      [200, 'no-store'],
      [401, 'no-store'],
      [401, 'no-store'],
      [204, 'no-store'],
      [401, 'no-store'],
      [200, 'public, max-age=300'],
    ]);
  });
});
