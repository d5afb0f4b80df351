import { fuzzRequests, runFuzz } from '@bundle/kit/testing';
import { OPENAPI_PATH } from '../../src/app';
import { SERVICE_KEY, startHarness, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('malformed requests on every route (seeded fuzz from openapi.yaml)', () => {
  test('when sent, then each gets an answer below 500', async () => {
    const token = await harness.tokens.sign({ id: 'fuzz-user', nickname: 'fuzzer' });
    const requests = fuzzRequests(OPENAPI_PATH, {
      seed: 20261202,
      perOperation: 20,
      credentials: { Authorization: `Bearer ${token}`, 'X-Service-Key': SERVICE_KEY },
    });

    expect(requests.length).toBeGreaterThan(200);
    expect(await runFuzz(harness.request, requests, 10_000)).toEqual([]);
  }, 60_000);
});
