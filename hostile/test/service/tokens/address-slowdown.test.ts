import { closeTestRedis, type StubHandler } from '@bundle/kit/testing';
import { AddressSlowdown } from '../../../../apps/tokens/src/domain/address-slowdown';
import { addressKey } from '../../../../apps/tokens/src/store';
import { basic, startHarness, uniqueNickname, userFor, VERIFY_ROUTE, type Harness } from '../../../../apps/tokens/test/service/harness';

// Round 2, item 2: twenty wrong passwords from one address locked every user at that
// address out for 15 minutes, right passwords included (429, Retry-After: 871): behind an
// office NAT, a carrier's, or on the local platform where every client is 127.0.0.1. The
// per-(nickname, address) lockout stays; past its limit the address is slowed instead:
// its logins go two at a time and a wrong password's answer is held, a right one is not.

/** The users app knows one password for everybody: "right password". */
const checkPassword: StubHandler = (request) => {
  const { nickname, password } = request.body as { nickname: string; password: string };
  return password === 'right password'
    ? { body: userFor(nickname) }
    : { status: 401, body: { error: { code: 'invalid_credentials', message: 'no' } } };
};

/** The holds the slowdown asked for, in ms; each ends when `release` is called, or at once while `open`. */
const holds: number[] = [];
let open = true;
const releases: Array<() => void> = [];
let held: () => void = () => undefined;
const release = (): void => {
  for (const end of releases.splice(0)) end();
};
const slowdown = new AddressSlowdown({
  wait: (ms) => {
    holds.push(ms);
    held();
    return open ? Promise.resolve() : new Promise<void>((resolve) => releases.push(resolve));
  },
});

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ slowdown });
  harness.users.on(VERIFY_ROUTE, checkPassword);
});
afterAll(async () => {
  open = true;
  release();
  await harness.close();
  await closeTestRedis();
});
beforeEach(() => {
  holds.length = 0;
  open = true;
});

let addresses = 0;
const uniqueAddress = (): string => `10.22.${Math.floor(addresses / 250)}.${(addresses++ % 250) + 1}`;
const attempt = (nickname: string, password: string, address: string) =>
  harness.request.post('/api/tokens').set('Authorization', basic(nickname, password)).set('X-Forwarded-For', address);
const callsFor = (nickname: string): number =>
  harness.users.requests.filter((request) => (request.body as { nickname?: string } | undefined)?.nickname === nickname).length;

/** `times` wrong passwords from `address`, each for a nickname of its own (a guesser spraying accounts). */
async function spray(times: number, address: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < times; index += 1)
    statuses.push((await attempt(uniqueNickname('sprayed'), 'wrong password', address)).status);
  return statuses;
}

/** Lets every request already sent run until it waits on something outside the event loop's current turn. */
async function settle(until: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !until(); turn += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('POST /api/tokens from an address that failed 20 logins', () => {
  test('when 20 wrong passwords came from an address, then another user at that address logs in at once (200), without a hold', async () => {
    const office = uniqueAddress();
    const sprayed = await spray(20, office);
    const colleague = uniqueNickname('colleague');

    const response = await attempt(colleague, 'right password', office);

    expect([sprayed, response.status, typeof response.body.access_token, holds]).toEqual([Array(20).fill(401), 200, 'string', []]);
    expect(await harness.redis.get(addressKey(office))).toBe('20');
  });

  test('when wrong passwords go on past the limit, then each is answered 401 after a hold that grows by 1 s up to 5 s, and a right one in between is not held', async () => {
    const office = uniqueAddress();
    await spray(20, office);

    const past = await spray(4, office);
    const right = await attempt(uniqueNickname('colleague'), 'right password', office);
    const later = await spray(3, office);

    expect([past, right.status, later]).toEqual([Array(4).fill(401), 200, Array(3).fill(401)]);
    expect(holds).toEqual([1000, 2000, 3000, 4000, 5000, 5000, 5000]);
  });

  test('when a slowed address keeps its lane full (2 answers held, 4 waiting), then its next login is 429 with Retry-After without asking users, another address logs in meanwhile, and the held ones are answered 401 when their hold ends', async () => {
    const office = uniqueAddress();
    await spray(20, office);
    open = false;
    let heldNow = 0;
    held = () => (heldNow += 1);
    const guesses = Array.from({ length: 6 }, () =>
      attempt(uniqueNickname('guess'), 'wrong password', office).then((response) => response.status),
    );
    await settle(() => heldNow === 2 && slowdown.size === 6);
    const newcomer = uniqueNickname('newcomer');

    const refused = await attempt(newcomer, 'right password', office);
    const elsewhere = await attempt(uniqueNickname('elsewhere'), 'right password', uniqueAddress());
    open = true;
    release();
    const answered = await Promise.all(guesses);

    // Retry-After is the hold a wrong password from there now gets: 22 failures, 3 s.
    expect([refused.status, refused.body.error.code, refused.headers['retry-after'], callsFor(newcomer)]).toEqual([
      429,
      'too_many_requests',
      '3',
      0,
    ]);
    expect([elsewhere.status, answered, slowdown.size]).toEqual([200, Array(6).fill(401), 0]);
  });

  test('when the 6th wrong password for one nickname comes from the address, then the pair lockout still refuses it (429), slowed or not', async () => {
    const office = uniqueAddress();
    const nickname = uniqueNickname('target');
    for (let index = 0; index < 5; index += 1) await attempt(nickname, 'wrong password', office);

    const response = await attempt(nickname, 'right password', office);

    expect([response.status, callsFor(nickname)]).toEqual([429, 5]);
  });
});
