import type Redis from 'ioredis';
import { createEventBus, createLogger, type EventBus } from '@bundle/kit';
import supertest from 'supertest';
import { createMessageStore } from '../../src/store';
import { createMentionWorker, MENTIONS_GROUP } from '../../src/worker/mention-worker';
import { identity, newUser, startHarness, type Harness } from './helpers';

// A database of its own: the set of known nicknames starts empty here.
let h: Harness;
let blocking: Redis;
let bus: EventBus;
beforeAll(async () => {
  h = await startHarness({ postRate: { limit: 1000, windowSeconds: 60 } });
  blocking = h.redis.duplicate();
  bus = createEventBus(h.redis);
  await bus.ensureGroup(MENTIONS_GROUP);
});
afterAll(async () => {
  blocking.disconnect();
  await h.close();
});

const worker = (maxMentions?: number) =>
  createMentionWorker({
    bus,
    blockingRedis: blocking,
    store: createMessageStore(h.redis),
    logger: createLogger(identity, 'silent'),
    consumer: 'known-test',
    claimMinIdleMs: 30_000,
    blockMs: 10,
    doneTtlSeconds: 60,
    maxMentions,
  });

const postAs = async (user: { id: string; nickname: string }, text: string) =>
  supertest(h.app.callback())
    .post('/api/messages')
    .set('Authorization', `Bearer ${await h.tokens.sign(user)}`)
    .send({ text });
const mentionsOf = async (user: { id: string; nickname: string }) =>
  (
    (
      await supertest(h.app.callback())
        .get('/api/messages/mentions')
        .set('Authorization', `Bearer ${await h.tokens.sign(user)}`)
    ).body as { count: number }
  ).count;
const registered = async (prefix: string) => {
  const user = newUser(prefix);
  await bus.publish('user.created', { id: user.id, nickname: user.nickname, created_at: new Date().toISOString() });
  return user;
};
const counterKeys = async () => (await h.redis.keys('messages:mentions:*')).filter((key) => !key.startsWith('messages:mentions:done:'));

describe('mentions of users that exist', () => {
  test('when the bus already holds user.created events and no nickname is known, then start() learns them', async () => {
    const early = await registered('early');
    const learning = worker();
    await learning.backfill();

    await postAs(newUser(), `hello @${early.nickname}`);
    await learning.runOnce();

    expect(await mentionsOf(early)).toBe(1);
  });

  test('when a message names 400 nicknames nobody has, then no counter key is made', async () => {
    const before = await counterKeys();
    const ghosts = Array.from({ length: 400 }, (_, i) => `@ghost${i}x${process.pid}`).join(' ');

    await postAs(newUser(), ghosts.slice(0, 2000));
    await worker(1000).runOnce();

    expect(await counterKeys()).toEqual(before);
  });

  test('when a user registers (user.created on the bus) and is then mentioned, then it counts', async () => {
    const zoe = await registered('zoe');
    await postAs(newUser(), `@${zoe.nickname} welcome`);

    await worker().runOnce();

    expect(await mentionsOf(zoe)).toBe(1);
  });

  test('when a message names more known users than the cap, then only the first ones count', async () => {
    const users = [];
    for (let i = 0; i < 4; i += 1) users.push(await registered(`cap${i}`));
    await postAs(newUser(), users.map((user) => `@${user.nickname}`).join(' '));

    await worker(3).runOnce();

    expect(await Promise.all(users.map(mentionsOf))).toEqual([1, 1, 1, 0]);
  });
});
