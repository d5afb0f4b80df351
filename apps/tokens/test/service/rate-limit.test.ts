import { closeTestRedis, type StubHandler } from '@bundle/kit/testing';
import { addressKey, pairKey } from '../../src/store';
import { basic, startHarness, uniqueNickname, userFor, VERIFY_ROUTE, type Harness } from './harness';

/** The users app knows one password for everybody: "right password". */
const checkPassword: StubHandler = (request) => {
  const { nickname, password } = request.body as { nickname: string; password: string };
  return password === 'right password'
    ? { body: userFor(nickname) }
    : { status: 401, body: { error: { code: 'invalid_credentials', message: 'no' } } };
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
/** An address no other test uses, as the platform router appends it to X-Forwarded-For. */
const uniqueAddress = (): string => `10.1.${Math.floor(addresses / 250)}.${(addresses++ % 250) + 1}`;

const attempt = (target: Harness, nickname: string, password: string, forwardedFor: string) =>
  target.request.post('/api/tokens').set('Authorization', basic(nickname, password)).set('X-Forwarded-For', forwardedFor);
const callsFor = (target: Harness, nickname: string) =>
  target.users.requests.filter(
    (request) => (request.body as { nickname?: string } | undefined)?.nickname?.toLowerCase() === nickname.toLowerCase(),
  ).length;

async function failTimes(target: Harness, times: number, nickname: string, address: string): Promise<void> {
  for (let index = 0; index < times; index += 1) {
    const response = await attempt(target, nickname, 'wrong password', address);
    if (response.status !== 401) throw new Error(`expected 401, got ${response.status}`);
  }
}

const tooMany = { error: { code: 'too_many_requests', message: expect.any(String), request_id: expect.any(String) } };

describe('POST /api/tokens failed-login limits', () => {
  test('when a nickname has 5 failures from one address, then the 6th attempt from there is 429 with Retry-After and users is not asked', async () => {
    const nickname = uniqueNickname();
    const address = uniqueAddress();
    await failTimes(harness, 5, nickname, address);

    const response = await attempt(harness, nickname, 'right password', address);

    expect(response.status).toBe(429);
    expect(response.body).toEqual(tooMany);
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(callsFor(harness, nickname)).toBe(5);
    expect(await harness.redis.get(pairKey(nickname, address))).toBe('5');
  });

  test('when an attacker has locked themselves out of a nickname, then its owner logs in from another address, and with parallel logins', async () => {
    const victim = uniqueNickname('victim');
    await failTimes(harness, 5, victim, uniqueAddress());
    const home = uniqueAddress();

    const alone = await attempt(harness, victim, 'right password', home);
    const parallel = await Promise.all(Array.from({ length: 10 }, () => attempt(harness, victim, 'right password', uniqueAddress())));

    expect(alone.status).toBe(200);
    expect(parallel.map((response) => response.status)).toEqual(Array(10).fill(200));
  });

  test('when the window has 42 s left, then Retry-After says 42', async () => {
    const nickname = uniqueNickname();
    const address = uniqueAddress();
    await failTimes(harness, 5, nickname, address);
    await harness.redis.pexpire(pairKey(nickname, address), 41_500);

    const response = await attempt(harness, nickname, 'right password', address);

    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('42');
  });

  test('when failures from one address come in any letter case, then they count for one nickname', async () => {
    const nickname = uniqueNickname('Carol');
    const address = uniqueAddress();
    for (const variant of [nickname, nickname.toUpperCase(), nickname.toLowerCase(), nickname, nickname.toUpperCase()]) {
      await failTimes(harness, 1, variant, address);
    }

    const response = await attempt(harness, nickname.toLowerCase(), 'right password', address);

    expect(response.status).toBe(429);
  });

  test("when a client forges the first X-Forwarded-For entry, then the router's entry is its address", async () => {
    const real = uniqueAddress();
    const nickname = uniqueNickname();
    await failTimes(harness, 5, nickname, real);

    const forged = await attempt(harness, nickname, 'right password', `${uniqueAddress()}, ${real}`);

    expect(forged.status).toBe(429);
    expect(await harness.redis.get(addressKey(real))).toBe('5');
  });

  test("when a login succeeds, then the failures of that nickname from that address are cleared and the address's stay", async () => {
    const nickname = uniqueNickname();
    const address = uniqueAddress();
    await failTimes(harness, 4, nickname, address);

    const response = await attempt(harness, nickname, 'right password', address);
    await failTimes(harness, 4, nickname, address); // a fresh count: 4 more are still allowed

    expect(response.status).toBe(200);
    expect(await harness.redis.get(pairKey(nickname, address))).toBe('4');
    expect(await harness.redis.get(addressKey(address))).toBe('8');
  });

  test('when logins succeed, then they are not counted', async () => {
    const address = uniqueAddress();
    const nickname = uniqueNickname();

    const statuses: number[] = [];
    for (let index = 0; index < 25; index += 1) statuses.push((await attempt(harness, nickname, 'right password', address)).status);

    expect(statuses).toEqual(Array(25).fill(200));
    expect(await harness.redis.exists(addressKey(address), pairKey(nickname, address))).toBe(0);
  });

  test("when 10 correct logins of one user arrive at once from one address (a user's ten tabs), then all succeed", async () => {
    const address = uniqueAddress();
    const nickname = uniqueNickname();

    const responses = await Promise.all(Array.from({ length: 10 }, () => attempt(harness, nickname, 'right password', address)));

    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
  });

  test('when one client sends 30 logins of one account at once, then two at a time reach the users app, eight wait their turn, twenty get 429 without it, and another user from that address logs in meanwhile', async () => {
    const address = uniqueAddress();
    const nickname = uniqueNickname('looper');
    const other = uniqueNickname('bystander');
    // The users app holds the looper's checks (as its hash gate does under load) until two
    // are held and twenty were refused without it; a third held at once would mean no turns.
    let held = 0;
    let mostHeld = 0;
    let refused = 0;
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const openWhenSettled = (): void => {
      if (held > 2 || (held === 2 && refused === 20)) open();
    };
    harness.users.on(VERIFY_ROUTE, async (request) => {
      if ((request.body as { nickname: string }).nickname !== nickname) return checkPassword(request);
      held += 1;
      mostHeld = Math.max(mostHeld, held);
      openWhenSettled();
      await opened;
      held -= 1;
      return checkPassword(request);
    });
    try {
      const logins = Array.from({ length: 30 }, () =>
        attempt(harness, nickname, 'right password', address).then((response) => {
          if (response.status === 429) refused += 1;
          openWhenSettled();
          return response;
        }),
      );
      const bystander = await attempt(harness, other, 'right password', address);
      const responses = await Promise.all(logins);
      const statuses = responses.map((response) => response.status);

      expect([
        bystander.status,
        mostHeld,
        statuses.filter((status) => status === 200).length,
        statuses.filter((status) => status === 429).length,
      ]).toEqual([200, 2, 10, 20]);
      expect(responses.find((response) => response.status === 429)?.headers['retry-after']).toBe('1');
      expect(callsFor(harness, nickname)).toBe(10);
    } finally {
      harness.users.on(VERIFY_ROUTE, checkPassword);
    }
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

    expect(await harness.redis.exists(addressKey(address), pairKey(nickname, address))).toBe(0);
  });

  test('when the users app is busy hashing (503), then 503 with Retry-After and nothing is counted', async () => {
    const nickname = uniqueNickname();
    const address = uniqueAddress();
    harness.users.on(VERIFY_ROUTE, () => ({
      status: 503,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'service_unavailable', message: 'busy' } },
    }));
    let response;
    try {
      response = await attempt(harness, nickname, 'wrong password', address);
    } finally {
      harness.users.on(VERIFY_ROUTE, checkPassword);
    }

    expect([response.status, response.headers['retry-after'], response.body.error.code]).toEqual([503, '1', 'upstream_unavailable']);
    expect(await harness.redis.exists(addressKey(address), pairKey(nickname, address))).toBe(0);
  });

  test('when failures go on, then the window is fixed from the first one, not extended', async () => {
    const nickname = uniqueNickname();
    const address = uniqueAddress();
    await failTimes(harness, 1, nickname, address);
    await harness.redis.pexpire(pairKey(nickname, address), 60_000);

    await failTimes(harness, 2, nickname, address);

    expect(await harness.redis.get(pairKey(nickname, address))).toBe('3');
    expect(await harness.redis.pttl(pairKey(nickname, address))).toBeLessThanOrEqual(60_000);
  });

  test('when failures happen on one instance, then another instance on the same Redis blocks too', async () => {
    const other = await startHarness({ redisUrl: harness.redisUrl, busUrl: harness.busUrl });
    other.users.on(VERIFY_ROUTE, checkPassword);
    try {
      const nickname = uniqueNickname();
      const address = uniqueAddress();
      await failTimes(harness, 5, nickname, address);

      const response = await attempt(other, nickname, 'right password', address);

      expect(response.status).toBe(429);
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(callsFor(other, nickname)).toBe(0);
    } finally {
      await other.close();
    }
  });
});
