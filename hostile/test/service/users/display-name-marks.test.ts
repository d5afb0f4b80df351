import { closeTestRedis } from '@bundle/kit/testing';
import { register, startHarness, type Harness } from '../../../../apps/users/test/service/harness';

// Round 2, item 7, for names: a display name shows wherever its user does, so the same
// stack of combining marks is refused there (line breaks already are, as controls).
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
  await closeTestRedis();
});

describe('display_name against stacked combining marks', () => {
  test('when a display name stacks 9 marks on a letter, then 400 naming display_name, at registration and in PATCH /api/users/me', async () => {
    const user = await register(harness);
    const token = await harness.tokens.sign({ id: user.id, nickname: user.nickname });
    const bomb = `Dee${'\u0489'.repeat(9)}`;

    const registration = await harness.request
      .post('/api/users')
      .send({ nickname: `${user.nickname}x`, password: 'correct horse battery', display_name: bomb });
    const patch = await harness.request.patch('/api/users/me').set('Authorization', `Bearer ${token}`).send({ display_name: bomb });

    expect([registration.status, registration.body.error.field, patch.status, patch.body.error.field]).toEqual([
      400,
      'display_name',
      400,
      'display_name',
    ]);
  });

  test('when a display name has 2 marks on a letter (Vietnamese, decomposed), then 200', async () => {
    const user = await register(harness);
    const token = await harness.tokens.sign({ id: user.id, nickname: user.nickname });
    const name = 'Nguyễn Thị'.normalize('NFD');

    const patch = await harness.request.patch('/api/users/me').set('Authorization', `Bearer ${token}`).send({ display_name: name });

    expect([patch.status, patch.body.display_name]).toEqual([200, name]);
  });
});
