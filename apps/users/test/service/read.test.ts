import { register, startHarness, type Harness } from './harness';

let harness: Harness;
/** The directory is for signed-in callers. */
let reader: string;
beforeAll(async () => {
  harness = await startHarness();
  // Not registered: the paging tests below expect the directory to start with their own users.
  reader = `Bearer ${await harness.tokens.sign({ id: '00000000-0000-4000-8000-000000000001', nickname: 'reader' })}`;
});
afterAll(() => harness.close());

const error = (code: string, field?: string) => ({
  error: { code, message: expect.any(String), request_id: expect.any(String), ...(field === undefined ? {} : { field }) },
});

describe('GET /api/users', () => {
  test('when the caller has no token, then 401 and no nickname is listed', async () => {
    const response = await harness.request.get('/api/users');

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.body).toEqual(error('unauthorized'));
  });

  test('when paging with limit and cursor, then every user comes once, in registration order', async () => {
    const created = [];
    for (let i = 0; i < 5; i += 1) created.push(await register(harness));

    const first = await harness.request.get('/api/users').set('Authorization', reader).query({ limit: 2 });
    const second = await harness.request
      .get('/api/users')
      .set('Authorization', reader)
      .query({ limit: 2, cursor: first.body.next as string });
    const third = await harness.request
      .get('/api/users')
      .set('Authorization', reader)
      .query({ limit: 2, cursor: second.body.next as string });

    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect(first.body).toEqual({ items: created.slice(0, 2), next: expect.any(String) });
    expect(second.body).toEqual({ items: created.slice(2, 4), next: expect.any(String) });
    expect(third.body).toEqual({ items: created.slice(4) });
  });

  test('when limit is 100000, then it is clamped to 100', async () => {
    // More than one full page exists, so a missing clamp would show.
    for (let batch = 0; batch < 10; batch += 1) await Promise.all(Array.from({ length: 10 }, () => register(harness)));

    const response = await harness.request.get('/api/users').set('Authorization', reader).query({ limit: 100000 });

    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(100);
    expect(response.body.next).toEqual(expect.any(String));
  });

  test('when limit is 0, then it is clamped to 1 and a next cursor is given', async () => {
    await register(harness);

    const response = await harness.request.get('/api/users').set('Authorization', reader).query({ limit: 0 });

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ items: [expect.objectContaining({ id: expect.any(String) })], next: expect.any(String) });
  });

  test.each([['abc'], ['1.5'], ['']])('when limit is "%s", then 400 with the field', async (limit) => {
    const response = await harness.request.get(`/api/users?limit=${limit}`).set('Authorization', reader);

    expect(response.status).toBe(400);
    expect(response.body).toEqual(error('invalid_request', 'limit'));
  });

  test.each([['not-a-cursor!'], ['Zm9v'], ['']])('when the cursor is "%s", then 400 with the field', async (cursor) => {
    const response = await harness.request.get(`/api/users?cursor=${encodeURIComponent(cursor)}`).set('Authorization', reader);

    expect(response.status).toBe(400);
    expect(response.body).toEqual(error('invalid_request', 'cursor'));
  });
});

describe('GET /api/users/:id', () => {
  test('when the user exists, then 200 with the user', async () => {
    const user = await register(harness);

    const response = await harness.request.get(`/api/users/${user.id}`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual(user);
  });

  test('when no such user exists, then 404 JSON', async () => {
    const response = await harness.request.get('/api/users/00000000-0000-0000-0000-000000000000');

    expect(response.status).toBe(404);
    expect(response.body).toEqual(error('not_found'));
  });
});

describe('GET /openapi.json', () => {
  test('when asked, then the OpenAPI 3.1 document of this app', async () => {
    const response = await harness.request.get('/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body).toEqual(
      expect.objectContaining({ openapi: '3.1.0', paths: expect.objectContaining({ '/api/users': expect.any(Object) }) }),
    );
  });
});

describe('GET /ready', () => {
  test('when both Redis bindings answer, then 200 naming them', async () => {
    const response = await harness.request.get('/ready');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ready', checks: { 'users-db': 'ok', 'event-bus': 'ok' } });
  });
});
