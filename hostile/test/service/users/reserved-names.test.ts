import { closeTestRedis } from '@bundle/kit/testing';
import { nicknameKey } from '../../../../apps/users/src/domain/nickname';
import { startHarness, uniqueNickname, type Harness } from '../../../../apps/users/test/service/harness';

// Round 2, item 10: "admin", "root", "---" and "_-_" registered. Names people read as the
// service speaking, and names without a letter or digit, are refused at registration.
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.close();
  await closeTestRedis();
});

const register = (nickname: string) => harness.request.post('/api/users').send({ nickname, password: 'correct horse battery' });
const refusal = (message: RegExp) => ({
  error: { code: 'invalid_request', message: expect.stringMatching(message), request_id: expect.any(String), field: 'nickname' },
});

describe('POST /api/users with names nobody may take', () => {
  test.each(['admin', 'root', 'Administrator', 'SUPPORT', 'everyone', 'Ad_Min', '-root-', 'no-reply', 'ｒｏｏｔ'])(
    'when the nickname is %j, then 400 naming nickname: it is reserved',
    async (nickname) => {
      const response = await register(nickname);
      expect([response.status, response.body]).toEqual([400, refusal(/is reserved/)]);
    },
  );

  test.each(['---', '_-_', '___', '-_-_-_'])('when the nickname is %j (no letter or digit), then 400 naming nickname', async (nickname) => {
    const response = await register(nickname);
    expect([response.status, response.body]).toEqual([400, refusal(/a letter or a digit/)]);
  });

  test('when a nickname only holds a reserved one (admin2, rooted, _7_), then it registers', async () => {
    const suffix = uniqueNickname('').replace(/_/g, '');
    const statuses = await Promise.all(
      [`admin2${suffix}`, `rooted${suffix}`, `_7_${suffix}`].map(async (name) => (await register(name)).status),
    );
    expect(statuses).toEqual([201, 201, 201]);
  });

  test('when an account was made before its name was reserved, then a login still finds it (only registration refuses)', () => {
    expect([nicknameKey('admin'), nicknameKey('Root'), nicknameKey('---')]).toEqual(['admin', 'root', '---']);
  });
});
