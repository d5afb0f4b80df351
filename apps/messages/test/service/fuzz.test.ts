import { fuzzRequests, runFuzz } from '@bundle/kit/testing';
import supertest from 'supertest';
import { join } from 'node:path';
import { newUser, startHarness, type Harness } from './helpers';

const OPENAPI_PATH = join(__dirname, '..', '..', 'openapi.yaml');

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('malformed requests on every route (seeded fuzz from openapi.yaml)', () => {
  test('when sent, then each gets an answer below 500', async () => {
    const token = await harness.tokens.sign(newUser('fuzz'));
    const requests = fuzzRequests(OPENAPI_PATH, { seed: 20261202, perOperation: 20, credentials: { Authorization: `Bearer ${token}` } });

    expect(requests.length).toBeGreaterThan(100);
    expect(await runFuzz(supertest(harness.app.callback()), requests, 10_000)).toEqual([]);
  }, 60_000);
});
