import { allocateTestDatabase, createTestTokens, fuzzRequests, runFuzz } from '@bundle/kit/testing';
import supertest from 'supertest';
import { OPENAPI_PATH } from '../../src/app';
import { startPush, type PushUnderTest } from '../support/harness';

let push: PushUnderTest;
const tokens = createTestTokens();
beforeAll(async () => {
  push = await startPush({ redisUrl: await allocateTestDatabase(), tokens: await tokens });
});
afterAll(() => push.stop());

describe('malformed requests on every route (seeded fuzz from openapi.yaml)', () => {
  test('when sent, then each gets an answer below 500 (an event stream counts once its headers come)', async () => {
    const token = await (await tokens).sign({ id: 'fuzz-user', nickname: 'fuzzer' });
    const requests = fuzzRequests(OPENAPI_PATH, { seed: 20261202, perOperation: 30, credentials: { Authorization: `Bearer ${token}` } });

    expect(requests.length).toBeGreaterThan(100);
    expect(await runFuzz(supertest(push.url), requests, 10_000)).toEqual([]);
  }, 60_000);
});
