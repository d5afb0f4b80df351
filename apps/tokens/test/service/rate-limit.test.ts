import { closeTestRedis, type StubHandler } from '@bundle/kit/testing';
import { basic, startHarness, uniqueNickname, userFor, VERIFY_ROUTE, type Harness } from './harness';

/** The users app knows one password for everybody: "right password". */
const checkPassword: StubHandler = (request) => {
  const { nickname, password } = request.body as { nickname: string; password: string };
  return password === 'right password' ? { body: userFor(nickname) } : { status: 401, body: { error: { code: 'invalid_credentials', message: 'no' } } };
};

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  harness.users.on(VERIFY_ROUTE, checkPassword);
});
afterAll(async () => {
  await harness.close();
  await closeTestRedis();
});

let addresses = 0;
/** An address no other test uses, as the platform router would put it in X-Forwarded-For. */
const uniqueAddress = (): string => `10.1.${Math.floor(addresses / 250)}.${(addresses++ % 250) + 1}`;

const attempt = (target: Harness, nickname: string, password: string, address: string) =>
  target.request.post('/api/tokens').set('Authorization', basic(nickname, password)).set('X-Forwarded-For', address);
const callsFor = (target: Harness, nickname: string) =>
  target.users.requests.filter((request) => (request.body as { nickname?: string } | undefined)?.nickname?.toLowerCase() === nickname.toLowerCase()).length;

async function failTimes(target: Harness, times: number, nickname: string, address: string): Promise<void> {
  for (let index = 0; index < times; index += 1) {
    const response = await attempt(target, nickname, 'wrong password', address);
    if (response.status !== 401) throw new Error(`expected 401, got ${response.status}`);
  }
}

const tooMany = { error: { code: 'too_many_requests', message: expect.any(String), request_id: expect.any(String) } };

describe('POST /api/tokens failed-login limits', () => {
  test('when a nickname has 5 failures, then the 6th attempt is 429 with Retry-After and users is not asked', async () => {
    const nickname = uniqueNickname();
    const address = uniqueAddress();
    await failTimes(harness, 5, nickname, address);

    const response = await attempt(harness, nickname, 'right password', address);

    expect(response.status).toBe(429);
    expect(response.body).toEqual(tooMany);
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(callsFor(harness, nickname)).toBe(5);
    expect(await harness.redis.get(`tokens:fail:nick:${nickname.toLowerCase()}`)).toBe('5');
  });

  test('when the window has 42 s left, then Retry-After says 42', async () => {
    const nickname = uniqueNickname();
    await failTimes(harness, 5, nickname, uniqueAddress());
    await harness.redis.pexpire(`tokens:fail:nick:${nickname.toLowerCase()}`, 41_500);

    const response = await attempt(harness, nickname, 'right password', uniqueAddress());

    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('42');
  });

  test('when failures come from several addresses in any letter case, then they count for one nickname', async () => {
    const nickname = uniqueNickname('Carol');
    for (const variant of [nickname, nickname.toUpperCase(), nickname.toLowerCase(), nickname, nickname.toUpperCase()]) {
      await failTimes(harness, 1, variant, uniqueAddress());
    }

    const response = await attempt(harness, nickname.toLowerCase(), 'right password', uniqueAddress());

    expect(response.status).toBe(429);
  });

  test('when an address has 20 failures over many nicknames, then it gets 429 even for a fresh nickname, and other addresses do not', async () => {
    const address = uniqueAddress();
    for (let index = 0; index < 20; index += 1) await failTimes(harness, 1, uniqueNickname(), address);
    const fresh = uniqueNickname();

    const blocked = await attempt(harness, fresh, 'right password', address);
    const elsewhere = await attempt(harness, fresh, 'right password', uniqueAddress());

    expect(blocked.status).toBe(429);
    expect(blocked.body).toEqual(tooMany);
    expect(elsewhere.status).toBe(200);
    expect(await harness.redis.get(`tokens:fail:ip:${address}`)).toBe('20');
  });

  test('when the address is only claimed left of the router\'s entry, then the router\'s entry counts', async () => {
    const real = uniqueAddress();
    const nickname = uniqueNickname();

    await attempt(harness, nickname, 'wrong password', `6.6.6.6, ${real}`).expect(401);

    expect(await harness.redis.get(`tokens:fail:ip:${real}`)).toBe('1');
    expect(await harness.redis.exists('tokens:fail:ip:6.6.6.6')).toBe(0);
  });

  test('when a login succeeds, then the nickname\'s failures are cleared and the address\'s stay', async () => {
    const nickname = uniqueNickname();
    const address = uniqueAddress();
    await failTimes(harness, 3, nickname, address);

    const response = await attempt(harness, nickname, 'right password', address);

    expect(response.status).toBe(200);
    expect(await harness.redis.exists(`tokens:fail:nick:${nickname.toLowerCase()}`)).toBe(0);
    expect(await harness.redis.get(`tokens:fail:ip:${address}`)).toBe('3');
  });

  test('when logins succeed, then they are not counted', async () => {
    const address = uniqueAddress();
    const nickname = uniqueNickname();

    const statuses: number[] = [];
    for (let index = 0; index < 25; index += 1) statuses.push((await attempt(harness, nickname, 'right password', address)).status);

    expect(statuses).toEqual(Array(25).fill(200));
    expect(await harness.redis.exists(`tokens:fail:ip:${address}`, `tokens:fail:nick:${nickname.toLowerCase()}`)).toBe(0);
  });

  test('when the users app fails, then the attempt is not counted as a failure', async () => {
    const nickname = uniqueNickname();
    const address = uniqueAddress();
    harness.users.on(VERIFY_ROUTE, () => ({ status: 500 }));
    try {
      await attempt(harness, nickname, 'right password', address).expect(502);
    } finally {
      harness.users.on(VERIFY_ROUTE, checkPassword);
    }

    expect(await harness.redis.exists(`tokens:fail:ip:${address}`, `tokens:fail:nick:${nickname.toLowerCase()}`)).toBe(0);
  });

  test('when failures go on, then the window is fixed from the first one, not extended', async () => {
    const nickname = uniqueNickname();
    const key = `tokens:fail:nick:${nickname.toLowerCase()}`;
    await failTimes(harness, 1, nickname, uniqueAddress());
    await harness.redis.pexpire(key, 60_000);

    await failTimes(harness, 2, nickname, uniqueAddress());

    expect(await harness.redis.get(key)).toBe('3');
    expect(await harness.redis.pttl(key)).toBeLessThanOrEqual(60_000);
  });

  test('when 20 wrong guesses arrive at once, then the users app is asked only 5 times', async () => {
    const nickname = uniqueNickname();

    const responses = await Promise.all(Array.from({ length: 20 }, () => attempt(harness, nickname, 'wrong password', uniqueAddress())));

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
    expect(callsFor(harness, nickname)).toBe(5);
  });

  test('when failures happen on one instance, then another instance on the same Redis blocks too', async () => {
    const other = await startHarness({ redisUrl: harness.redisUrl, busUrl: harness.busUrl });
    other.users.on(VERIFY_ROUTE, checkPassword);
    try {
      const nickname = uniqueNickname();
      await failTimes(harness, 5, nickname, uniqueAddress());

      const response = await attempt(other, nickname, 'right password', uniqueAddress());

      expect(response.status).toBe(429);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(callsFor(other, nickname)).toBe(0);
    } finally {
      await other.close();
    }
  });
});
