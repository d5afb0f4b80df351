import { fuzzRequests, runFuzz } from '@bundle/kit/testing';
import { OPENAPI_PATH } from '../../src/app';
import { logIn, startHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('malformed requests on every route (seeded fuzz from openapi.yaml)', () => {
  test('when sent, then each gets an answer below 500', async () => {
    const token = await logIn(harness, 'fuzzer');
    const requests = fuzzRequests(OPENAPI_PATH, { seed: 20261202, perOperation: 20, credentials: { Authorization: `Bearer ${token}` } });

    expect(requests.length).toBeGreaterThan(100);
    expect(await runFuzz(harness.request, requests, 10_000)).toEqual([]);
  }, 60_000);
});
