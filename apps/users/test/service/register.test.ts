import { createEventBus } from '@bundle/kit';
import { register, startHarness, uniqueNickname, type Harness } from './harness';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

const error = (code: string, field?: string) => ({
  error: { code, message: expect.any(String), request_id: expect.any(String), ...(field === undefined ? {} : { field }) },
});

describe('POST /api/users', () => {
  test('when the input is valid, then 201 with the user, its Location, and no hash', async () => {
    const nickname = uniqueNickname('Alice');

    const response = await harness.request.post('/api/users').send({ nickname, password: 'correct horse battery' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      nickname,
      display_name: nickname,
      created_at: expect.any(String),
    });
    expect(new Date(response.body.created_at as string).toISOString()).toBe(response.body.created_at);
    expect(response.headers.location).toBe(`/api/users/${response.body.id as string}`);
    expect(JSON.stringify(response.body)).not.toMatch(/scrypt|password|hash/);
  });

  test('when registered, then user.created goes on the bus with the request id', async () => {
    const nickname = uniqueNickname();
    const requestId = `register-${process.pid}-0123456789abcdef`;

    const response = await harness.request
      .post('/api/users')
      .set('X-Request-Id', requestId)
      .send({ nickname, password: 'correct horse battery' });

    expect(response.status).toBe(201);
    const events = await createEventBus(harness.busRedis).latest(50);
    const event = events.find((candidate) => candidate.payload.id === response.body.id);
    expect(event).toEqual({
      id: expect.any(String),
      name: 'user.created',
      time: expect.any(String),
      payload: { id: response.body.id, nickname, created_at: response.body.created_at },
      request_id: requestId,
      traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/),
    });
  });

  test('when a display_name is given, then it is kept (trimmed)', async () => {
    const response = await harness.request
      .post('/api/users')
      .send({ nickname: uniqueNickname(), password: 'correct horse battery', display_name: '  Alice A.  ' });

    expect(response.status).toBe(201);
    expect(response.body.display_name).toBe('Alice A.');
  });

  test('when the nickname is taken in another case, then 409 with the field', async () => {
    const taken = await register(harness, uniqueNickname('Bob'));

    const response = await harness.request
      .post('/api/users')
      .send({ nickname: taken.nickname.toUpperCase(), password: 'another password' });

    expect(response.status).toBe(409);
    expect(response.body).toEqual(error('conflict', 'nickname'));
  });

  test('when the nickname is a fullwidth look-alike of a taken one, then 409 (NFKC folds it)', async () => {
    const taken = await register(harness, uniqueNickname('carol'));
    const fullwidth = [...taken.nickname].map((c) => (/[a-z0-9]/i.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
    expect(fullwidth).not.toBe(taken.nickname);

    const response = await harness.request.post('/api/users').send({ nickname: fullwidth, password: 'another password' });

    expect(response.status).toBe(409);
    expect(response.body).toEqual(error('conflict', 'nickname'));
  });

  test('when the nickname uses a Cyrillic look-alike letter, then 400 with the field', async () => {
    const response = await harness.request
      .post('/api/users')
      .send({ nickname: `\u0430lice${process.pid}`, password: 'correct horse battery' });

    expect(response.status).toBe(400);
    expect(response.body).toEqual(error('invalid_request', 'nickname'));
  });

  test('when the same nickname is registered by two requests at once, then exactly one 201 and one 409, and one user is stored', async () => {
    const nickname = uniqueNickname('race');
    const before = await harness.redis.zcard('users:index');

    const responses = await Promise.all([
      harness.request.post('/api/users').send({ nickname, password: 'first password' }),
      harness.request.post('/api/users').send({ nickname: nickname.toUpperCase(), password: 'second password' }),
    ]);

    expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
    expect(await harness.redis.zcard('users:index')).toBe(before + 1);
    const winner = responses.find((response) => response.status === 201);
    expect(await harness.redis.get(`users:nickname:${nickname.toLowerCase()}`)).toBe(winner?.body.id);
  });

  const invalid: Array<[string, unknown, string]> = [
    ['the nickname is missing', { password: 'correct horse battery' }, 'nickname'],
    ['the password is missing', { nickname: 'dave_missing_pw' }, 'password'],
    ['the nickname is a number', { nickname: 12345, password: 'correct horse battery' }, 'nickname'],
    ['the nickname is 10 kB', { nickname: 'a'.repeat(10_240), password: 'correct horse battery' }, 'nickname'],
    ['the nickname is 2 characters', { nickname: 'ab', password: 'correct horse battery' }, 'nickname'],
    ['the nickname is 33 characters', { nickname: 'a'.repeat(33), password: 'correct horse battery' }, 'nickname'],
    ['the nickname holds a space', { nickname: 'dave smith', password: 'correct horse battery' }, 'nickname'],
    ['the password is 7 characters', { nickname: 'dave_short_pw', password: '1234567' }, 'password'],
    ['the password is 129 characters', { nickname: 'dave_long_pw', password: 'x'.repeat(129) }, 'password'],
    ['the password is a number', { nickname: 'dave_number_pw', password: 12345678 }, 'password'],
    ['an unknown field is sent', { nickname: 'dave_extra', password: 'correct horse battery', admin: true }, 'admin'],
    ['the display_name is blank', { nickname: 'dave_blank', password: 'correct horse battery', display_name: '   ' }, 'display_name'],
    ['the body is an array', [{ nickname: 'dave_array', password: 'correct horse battery' }], 'body'],
  ];
  test.each(invalid)('when %s, then 400 with the field and nothing is written', async (_case, body, field) => {
    const keysBefore = await harness.redis.dbsize();

    const response = await harness.request.post('/api/users').set('Content-Type', 'application/json').send(JSON.stringify(body));

    expect(response.status).toBe(400);
    expect(response.body).toEqual(error('invalid_request', field));
    expect(await harness.redis.dbsize()).toBe(keysBefore);
  });

  test.each([
    ['a string', '"dave"'],
    ['null', 'null'],
    ['a number', '42'],
  ])('when the body is %s, then 400 (the JSON parser wants an object) and nothing is written', async (_case, body) => {
    const keysBefore = await harness.redis.dbsize();

    const response = await harness.request.post('/api/users').set('Content-Type', 'application/json').send(body);

    expect(response.status).toBe(400);
    expect(response.body).toEqual(error('invalid_request'));
    expect(await harness.redis.dbsize()).toBe(keysBefore);
  });

  test('when there is no body, then 400 naming the body', async () => {
    const response = await harness.request.post('/api/users');

    expect(response.status).toBe(400);
    expect(response.body).toEqual(error('invalid_request', 'body'));
  });

  test('when the JSON is malformed, then 400', async () => {
    const response = await harness.request.post('/api/users').set('Content-Type', 'application/json').send('{"nickname":');

    expect(response.status).toBe(400);
    expect(response.body).toEqual(error('invalid_request'));
  });

  test('when the body is not JSON, then 415', async () => {
    const response = await harness.request.post('/api/users').type('form').send('nickname=dave&password=correcthorse');

    expect(response.status).toBe(415);
    expect(response.body).toEqual(error('unsupported_media_type'));
  });
});
