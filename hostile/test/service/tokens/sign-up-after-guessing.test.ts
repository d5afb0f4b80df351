import { createLogger, createTokenVerifier, isTokenRevoked, quitRedis, serve, type Redis, type Serving } from '@bundle/kit';
import { allocateTestDatabase, closeTestRedis } from '@bundle/kit/testing';
import { createLocalJWKSet } from 'jose';
import supertest from 'supertest';
import { createUsersApp } from '../../../../apps/users/src/app';
import { loadTokenKeys } from '../../../../apps/tokens/src/domain/keys';
import {
  AUDIENCE,
  basic,
  connectedRedis,
  ISSUER,
  SERVICE_KEY,
  startHarness,
  uniqueNickname,
  type Harness,
} from '../../../../apps/tokens/test/service/harness';

// Round 2, item 2, as the ui does it: after 20 wrong passwords from an address (every
// client of the local platform is 127.0.0.1), the ui's sign-up then log-in from that
// address worked no more (the login got 429 for 15 minutes). The real users app, over HTTP.
const usersIdentity = { app: 'users', version: '0.0.0-test', commit: 'test', space: 'test', instance: '0' };
const ADDRESS = '192.0.2.77';

let tokens: Harness;
let usersRedis: Redis;
let busRedis: Redis;
let users: Serving;
let usersRequest: ReturnType<typeof supertest>;

beforeAll(async () => {
  const busUrl = await allocateTestDatabase();
  const keys = await loadTokenKeys({}, { production: false });
  busRedis = await connectedRedis(busUrl, 'event-bus');
  usersRedis = await connectedRedis(await allocateTestDatabase(), 'users-db');
  const usersApp = createUsersApp({
    identity: usersIdentity,
    logger: createLogger(usersIdentity, 'silent'),
    redis: usersRedis,
    busRedis,
    verifyToken: createTokenVerifier({
      keys: createLocalJWKSet(keys.jwks),
      issuer: ISSUER,
      audience: AUDIENCE,
      isRevoked: (jti) => isTokenRevoked(busRedis, jti),
    }),
    serviceKey: SERVICE_KEY,
    hashParams: { N: 1024, r: 8, p: 1 },
    processMetrics: false,
  });
  users = await serve(usersApp, { port: 0, host: '127.0.0.1', signals: [], exit: () => undefined });
  usersRequest = supertest(usersApp.callback());
  tokens = await startHarness({ busUrl, usersUrl: `http://127.0.0.1:${users.port}`, keys });
});
afterAll(async () => {
  await users.shutdown('test over');
  await Promise.all([tokens.close(), quitRedis(usersRedis), quitRedis(busRedis)]);
  await closeTestRedis();
});

describe("the ui's sign-up then log-in after someone at its address guessed 20 passwords", () => {
  test('when 20 wrong passwords came from the address, then a new user there signs up (201) and logs in at once (200)', async () => {
    const guessed: number[] = [];
    for (let index = 0; index < 20; index += 1) {
      const response = await tokens.request
        .post('/api/tokens')
        .set('Authorization', basic(uniqueNickname('guessed'), 'not the password'))
        .set('X-Forwarded-For', ADDRESS);
      guessed.push(response.status);
    }
    const nickname = uniqueNickname('newcomer');

    const signUp = await usersRequest
      .post('/api/users')
      .set('X-Forwarded-For', ADDRESS)
      .send({ nickname, password: 'correct horse battery' });
    const logIn = await tokens.request
      .post('/api/tokens')
      .set('Authorization', basic(nickname, 'correct horse battery'))
      .set('X-Requested-With', 'XMLHttpRequest')
      .set('X-Forwarded-For', ADDRESS);

    expect([guessed, signUp.status, logIn.status, typeof logIn.body.access_token]).toEqual([Array(20).fill(401), 201, 200, 'string']);
  });
});
