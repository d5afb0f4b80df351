import { register, SERVICE_KEY, startHarness, uniqueNickname, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('POST /api/users/internal/credentials/verify through a router', () => {
  test('when the request came through a router (X-Forwarded-For), then 404 even with the right key', async () => {
    const user = await register(harness, uniqueNickname('routed'), 'routed password 1');

    const response = await harness.request
      .post('/api/users/internal/credentials/verify')
      .set('X-Forwarded-For', '203.0.113.9')
      .set('X-Service-Key', SERVICE_KEY)
      .send({ nickname: user.nickname, password: 'routed password 1' });

    expect([response.status, response.body.error.code]).toEqual([404, 'not_found']);
  });
});

describe('bodies are read after auth', () => {
  test('when PATCH /api/users/me has no token and a malformed body, then 401 (the body is never parsed)', async () => {
    const response = await harness.request.patch('/api/users/me').set('Content-Type', 'application/json').send('{"nickname":');
    expect([response.status, response.body.error.code]).toEqual([401, 'unauthorized']);
  });

  test('when the internal route has no key and a malformed body, then 401 (the body is never parsed)', async () => {
    const response = await harness.request
      .post('/api/users/internal/credentials/verify')
      .set('Content-Type', 'application/json')
      .send('{"nickname":');
    expect([response.status, response.body.error.code]).toEqual([401, 'unauthorized']);
  });
});
