import { join } from 'node:path';
import { describeRequest } from '../../src/testing/fuzz-run';
import { fuzzRequests, ODD_METHODS } from '../../src/testing/openapi-fuzz';

const fixture = join(__dirname, 'fixtures', 'openapi-responses.yaml');
const options = { seed: 7, perOperation: 10, credentials: { Authorization: 'Bearer t' } };

describe('fuzzRequests', () => {
  test('when drawn twice with one seed, then the same requests; with another seed, others', () => {
    const once = fuzzRequests(fixture, options).map(describeRequest);

    expect(fuzzRequests(fixture, options).map(describeRequest)).toEqual(once);
    expect(fuzzRequests(fixture, { ...options, seed: 8 }).map(describeRequest)).not.toEqual(once);
  });

  test('when drawn, then every documented operation and every ops route is asked, with odd methods on each path', () => {
    const requests = fuzzRequests(fixture, options);
    const asked = new Set(requests.map((request) => `${request.method} ${request.path.split('?')[0]?.split('/').slice(0, 3).join('/')}`));

    for (const route of [
      'POST /api/things',
      'GET /api/things',
      'GET /health',
      'GET /ready',
      'GET /version',
      'GET /metrics',
      'GET /openapi.json',
    ])
      expect(asked).toContain(route);
    for (const method of ODD_METHODS) expect(asked).toContain(`${method} /health`);
  });

  test('when an operation takes a body, then garbage encodings, deep and huge bodies are among its requests', () => {
    const posts = fuzzRequests(fixture, options).filter((request) => request.method === 'POST' && request.path === '/api/things');
    const encodings = posts.map((request) => request.headers['Content-Encoding']).filter(Boolean);

    expect(encodings).toEqual(expect.arrayContaining(['gzip', 'deflate', 'br', 'x-made-up']));
    expect(Math.max(...posts.map((request) => request.body?.length ?? 0))).toBeGreaterThan(1024 * 1024);
    expect(posts.some((request) => request.body?.toString().startsWith('[[[[[[[['))).toBe(true);
  });
});
