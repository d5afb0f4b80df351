import { createHashGate, type HashGate } from '../../src/domain/hash-gate';
import { SERVICE_KEY, startHarness, uniqueNickname, type Harness } from './harness';

const error = (code: string) => ({ error: { code, message: expect.any(String), request_id: expect.any(String) } });

let addresses = 0;
/** An address no other test uses, as the platform router appends it to X-Forwarded-For. */
const uniqueAddress = (): string => `10.2.${Math.floor(addresses / 250)}.${(addresses++ % 250) + 1}`;

const registerFrom = (harness: Harness, forwardedFor: string, nickname = uniqueNickname()) =>
  harness.request.post('/api/users').set('X-Forwarded-For', forwardedFor).send({ nickname, password: 'correct horse battery' });

/** Holds `count` slots of a gate (running, then queued) until release() is called. */
function occupy(gate: HashGate, count: number): { release: () => Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const held = Array.from({ length: count }, () => gate.run(() => opened));
  return {
    async release() {
      open();
      await Promise.all(held);
    },
  };
}

describe('password hashing bound (memory per instance)', () => {
  let harness: Harness;
  let gate: HashGate;
  beforeAll(async () => {
    gate = createHashGate({ concurrency: 2, queueLimit: 3, retryAfterSeconds: 1 });
    harness = await startHarness({ hashGate: gate, registrationLimit: { perAddress: 3, windowSeconds: 600 } });
  });
  afterAll(() => harness.close());

  test('when 2 hashes run and 3 wait, then the next registration and the next credential check answer 503 with Retry-After, and the refused registration is not counted', async () => {
    const address = uniqueAddress();
    const held = occupy(gate, 5);
    expect(gate.load()).toEqual({ running: 2, waiting: 3 });

    const registration = await registerFrom(harness, address);
    const check = await harness.request
      .post('/api/users/internal/credentials/verify')
      .set('X-Service-Key', SERVICE_KEY)
      .send({ nickname: 'nobody_here', password: 'whatever-123' });
    await held.release();
    const afterwards = await Promise.all([registerFrom(harness, address), registerFrom(harness, address), registerFrom(harness, address)]);

    expect([registration.status, registration.headers['retry-after'], registration.body]).toEqual([503, '1', error('service_unavailable')]);
    expect([check.status, check.headers['retry-after'], check.body]).toEqual([503, '1', error('service_unavailable')]);
    expect(afterwards.map((response) => response.status)).toEqual([201, 201, 201]);
    expect(gate.load()).toEqual({ running: 0, waiting: 0 });
  });

  test('when hashes queue within the bound, then they all finish', async () => {
    const held = occupy(gate, 4);

    const pending = registerFrom(harness, uniqueAddress());
    await held.release();

    expect((await pending).status).toBe(201);
  });
});

describe('POST /api/users registrations per address', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ registrationLimit: { perAddress: 3, windowSeconds: 600 } });
  });
  afterAll(() => harness.close());

  test('when an address has made 3 registrations, then the 4th is 429 with Retry-After, and another address still registers', async () => {
    const address = uniqueAddress();
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await registerFrom(harness, address)).status);

    const refused = await registerFrom(harness, address);
    const elsewhere = await registerFrom(harness, uniqueAddress());

    expect(statuses).toEqual([201, 201, 201]);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(error('too_many_requests'));
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(600);
    expect(elsewhere.status).toBe(201);
  });

  test('when 10 registrations from one address arrive at once, then exactly 3 are accounts', async () => {
    const address = uniqueAddress();

    const responses = await Promise.all(Array.from({ length: 10 }, () => registerFrom(harness, address)));

    expect(responses.map((response) => response.status).sort()).toEqual([...Array(3).fill(201), ...Array(7).fill(429)]);
  });

  test("when the client writes other addresses left of the router's entry, then the router's entry is the one counted", async () => {
    const address = uniqueAddress();
    for (let i = 0; i < 3; i += 1) await registerFrom(harness, `198.51.100.${i + 1}, ${address}`).expect(201);

    const refused = await registerFrom(harness, `203.0.113.99, ${address}`);

    expect(refused.status).toBe(429);
    expect(await harness.redis.exists('users:register:ip:203.0.113.99', 'users:register:ip:198.51.100.1')).toBe(0);
  });

  test('when the nickname is taken, then the attempt still counts (registration is no free way to test nicknames)', async () => {
    const address = uniqueAddress();
    const nickname = uniqueNickname();
    await registerFrom(harness, address, nickname).expect(201);

    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await registerFrom(harness, address, nickname)).status);

    expect(statuses).toEqual([409, 409, 429]);
  });
});
