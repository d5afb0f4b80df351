import { closeTestRedis } from '@bundle/kit/testing';
import supertest from 'supertest';
import { newUser, startHarness, type Harness } from '../../../../apps/messages/test/service/helpers';

// Round 2, item 9: what answers a signed-in caller had no Cache-Control, so a shared cache
// or the browser's disk could keep it. Every route under the token: no-store.
let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  token = await h.tokens.sign(newUser('cache'));
});
afterAll(async () => {
  await h.close();
  await closeTestRedis();
});

const api = () => supertest(h.app.callback());

describe('Cache-Control on the messages routes', () => {
  test('when a signed-in caller asks any route, then the answer is no-store', async () => {
    const posted = await api().post('/api/messages').set('Authorization', `Bearer ${token}`).send({ text: 'keep me out of caches' });
    const answers = [
      posted,
      await api().get('/api/messages').set('Authorization', `Bearer ${token}`),
      await api()
        .get(`/api/messages/${posted.body.id as string}`)
        .set('Authorization', `Bearer ${token}`),
      await api().get('/api/messages/mentions').set('Authorization', `Bearer ${token}`),
      await api().get('/api/messages/1-1').set('Authorization', `Bearer ${token}`),
    ];

    expect(answers.map((response) => [response.status, response.headers['cache-control']])).toEqual([
      [201, 'no-store'],
      [200, 'no-store'],
      [200, 'no-store'],
      [200, 'no-store'],
      [404, 'no-store'],
    ]);
  });

  test('when the token is missing, then the 401 is no-store too', async () => {
    const response = await api().get('/api/messages');
    expect([response.status, response.headers['cache-control']]).toEqual([401, 'no-store']);
  });
});
