import { closeTestRedis } from '@bundle/kit/testing';
import { register, startHarness, type Harness } from '../../../../apps/users/test/service/harness';

// Round 2, item 9: the caller's own profile and the directory had no Cache-Control, so a
// shared cache or the browser's disk could keep them. Personal answers: no-store.
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
  await closeTestRedis();
});

describe('Cache-Control on the users routes', () => {
  test('when a signed-in caller reads or changes their profile or reads the directory, then no-store', async () => {
    const user = await register(harness);
    const bearer = `Bearer ${await harness.tokens.sign({ id: user.id, nickname: user.nickname })}`;
    const answers = [
      await harness.request.get('/api/users/me').set('Authorization', bearer),
      await harness.request.patch('/api/users/me').set('Authorization', bearer).send({ display_name: 'Cached Never' }),
      await harness.request.get('/api/users').set('Authorization', bearer),
      await harness.request.get('/api/users/me'),
    ];

    expect(answers.map((response) => [response.status, response.headers['cache-control']])).toEqual([
      [200, 'no-store'],
      [200, 'no-store'],
      [200, 'no-store'],
      [401, 'no-store'],
    ]);
  });

  test('when an account is made, then the answer (its own record) is no-store', async () => {
    const response = await harness.request
      .post('/api/users')
      .send({ nickname: `cache_${process.pid}_new`, password: 'correct horse battery' });
    expect([response.status, response.headers['cache-control']]).toEqual([201, 'no-store']);
  });
});
