import { Writable } from 'node:stream';
import type Redis from 'ioredis';
import { createEventBus, createLogger, type EventBus } from '@bundle/kit';
import supertest from 'supertest';
import { normaliseNickname } from '../../src/domain/mentions';
import { createMessageStore } from '../../src/store';
import { createMentionWorker, MENTIONS_GROUP, type MentionWorkerDeps } from '../../src/worker/mention-worker';
import { identity, newUser, startHarness, type Harness } from './helpers';

let h: Harness;
let blocking: Redis;
let bus: EventBus;
beforeAll(async () => {
  h = await startHarness();
  blocking = h.redis.duplicate();
  bus = createEventBus(h.redis);
  await bus.ensureGroup(MENTIONS_GROUP);
});
afterAll(async () => {
  blocking.disconnect();
  await h.close();
});

const worker = (overrides: Partial<MentionWorkerDeps> = {}) =>
  createMentionWorker({
    bus,
    blockingRedis: blocking,
    store: createMessageStore(h.redis),
    logger: createLogger(identity, 'silent'),
    consumer: 'test-consumer',
    claimMinIdleMs: 30_000,
    blockMs: 10,
    doneTtlSeconds: 60,
    ...overrides,
  });

const postAs = async (user: { id: string; nickname: string }, text: string) =>
  supertest(h.app.callback())
    .post('/api/messages')
    .set('Authorization', `Bearer ${await h.tokens.sign(user)}`)
    .send({ text });

const mentionsOf = async (user: { id: string; nickname: string }) =>
  (
    await supertest(h.app.callback())
      .get('/api/messages/mentions')
      .set('Authorization', `Bearer ${await h.tokens.sign(user)}`)
  ).body as unknown;

/** A user the messages app knows exists (as if it had seen their user.created), so mentions of them count. */
const knownUser = async (prefix: string) => {
  const user = newUser(prefix);
  await createMessageStore(h.redis).learnNicknames(normaliseNickname(user.nickname));
  return user;
};

const pending = async (): Promise<number> => ((await h.redis.xpending(bus.stream, MENTIONS_GROUP)) as [number])[0];

describe('mention worker', () => {
  test('when messages mention users, then each mentioned user counts once per message, case-insensitively', async () => {
    const alice = await knownUser('Alice');
    const bob = await knownUser('bob');
    const author = newUser('author');
    await postAs(author, `hi @${alice.nickname.toUpperCase()} and @${alice.nickname}, @${bob.nickname}`);
    await postAs(author, `again @${alice.nickname.toLowerCase()}`);
    await postAs(author, 'no mentions here, mail@example.org');

    await worker().runOnce();

    expect(await mentionsOf(alice)).toEqual({ nickname: alice.nickname, count: 2 });
    expect(await mentionsOf(bob)).toEqual({ nickname: bob.nickname, count: 1 });
    expect(await pending()).toBe(0);
  });

  test('when the same event is delivered again, then it is not counted twice', async () => {
    const carol = await knownUser('carol');
    const created = await postAs(newUser(), `@${carol.nickname} hello`);
    const [event] = (await bus.after('0', 100_000)).filter((e) => (e.payload as { id: string }).id === created.body.id);
    await worker().runOnce();

    // Redelivery: the group is rewound to just before the event, as after a crash before XACK.
    const [ms, seq] = (event!.id as string).split('-').map(Number) as [number, number];
    await h.redis.xgroup('SETID', bus.stream, MENTIONS_GROUP, seq > 0 ? `${ms}-${seq - 1}` : `${ms - 1}-99999`);
    const handled = await worker().runOnce();

    expect(handled).toBeGreaterThanOrEqual(1);
    expect(await mentionsOf(carol)).toEqual({ nickname: carol.nickname, count: 1 });
  });

  test('when the same message is published twice under two event ids, then it counts once', async () => {
    const dave = await knownUser('dave');
    const created = await postAs(newUser(), `@${dave.nickname}!`);
    await bus.publish('message.created', created.body, 'republished');

    await worker().runOnce();

    expect(await mentionsOf(dave)).toEqual({ nickname: dave.nickname, count: 1 });
  });

  test('when a dead consumer left an event pending, then it is claimed, processed and acknowledged', async () => {
    const erin = await knownUser('erin');
    await postAs(newUser(), `ping @${erin.nickname}`);
    const taken = await bus.readGroup(blocking, MENTIONS_GROUP, 'dead-consumer', 10);
    expect(taken).toHaveLength(1);
    expect(await pending()).toBe(1);

    const handled = await worker({ claimMinIdleMs: 0 }).runOnce();

    expect(handled).toBe(1);
    expect(await pending()).toBe(0);
    expect(await mentionsOf(erin)).toEqual({ nickname: erin.nickname, count: 1 });
  });

  test('when the pending event is younger than the idle limit, then it is left to its consumer', async () => {
    const fred = await knownUser('fred');
    await postAs(newUser(), `@${fred.nickname}`);
    await bus.readGroup(blocking, MENTIONS_GROUP, 'slow-consumer', 10);

    expect(await worker({ claimMinIdleMs: 60_000 }).runOnce()).toBe(0);
    expect(await pending()).toBe(1);
    expect(await mentionsOf(fred)).toEqual({ nickname: fred.nickname, count: 0 });
    await worker({ claimMinIdleMs: 0 }).runOnce(); // leave nothing pending for the next test
  });

  test('when events are not message.created or are malformed, then they are acknowledged without counting', async () => {
    await bus.publish('user.created', { id: 'x', nickname: 'someone' });
    await bus.publish('message.created', { text: '@nobody' });

    expect(await worker().runOnce()).toBe(2);
    expect(await pending()).toBe(0);
    expect(await h.redis.get('messages:mentions:nobody')).toBeNull();
  });

  test('when started, then it processes new events by itself, and stop() lets the round finish', async () => {
    const gina = await knownUser('gina');
    let processed: () => void = () => undefined;
    const sawProcessed = new Promise<void>((resolve) => (processed = resolve));
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (chunk.toString().includes('"events processed"')) processed();
        callback();
      },
    });
    const running = worker({ blockMs: 50, logger: createLogger(identity, 'info', sink) });
    await running.start();

    await postAs(newUser(), `@${gina.nickname}`);
    await sawProcessed; // the worker's own log line says it handled the event
    await running.stop();

    expect(await mentionsOf(gina)).toEqual({ nickname: gina.nickname, count: 1 });
    expect(await pending()).toBe(0);
  });
});

describe('idle consumers', () => {
  test('when an earlier process left a consumer with nothing pending, then it is removed; one with pending events stays', async () => {
    await bus.publish('user.created', { id: 'y', nickname: 'idle' });
    await bus.readGroup(blocking, MENTIONS_GROUP, 'holding-consumer', 10); // leaves one pending
    await h.redis.xgroup('CREATECONSUMER', bus.stream, MENTIONS_GROUP, 'gone-consumer');
    let clock = 0;
    const pruning = worker({ pruneIdleMs: 1, busRedis: h.redis, claimMinIdleMs: 3_600_000, now: () => (clock += 10) });

    await pruning.runOnce();

    const names = ((await h.redis.xinfo('CONSUMERS', bus.stream, MENTIONS_GROUP)) as unknown[][]).map((fields) => fields[1]);
    expect(names).toContain('holding-consumer');
    expect(names).toContain('test-consumer'); // itself
    expect(names).not.toContain('gone-consumer');
    await worker({ claimMinIdleMs: 0 }).runOnce(); // leave nothing pending
  });
});

describe('GET /api/messages/mentions', () => {
  test('when nobody mentioned the caller, then count 0', async () => {
    const user = newUser('quiet');
    expect(await mentionsOf(user)).toEqual({ nickname: user.nickname, count: 0 });
  });

  test('when there is no token, then 401', async () => {
    const response = await supertest(h.app.callback()).get('/api/messages/mentions');
    expect(response.status).toBe(401);
  });
});
