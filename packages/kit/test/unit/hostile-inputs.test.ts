import { join } from 'node:path';
import { hostileAnswerProblem, SCRIPT_REQUEST_HEADERS, TEXT_BOMBS } from '../../src/testing/hostile-inputs';
import { fuzzRequests } from '../../src/testing/openapi-fuzz';

const fixture = join(__dirname, 'fixtures', 'hostile-inputs.yaml');
const requests = fuzzRequests(fixture, { seed: 7, perOperation: 5, credentials: { Authorization: 'Bearer t' } });

describe('the hostile inputs among the fuzz requests', () => {
  test('when an operation takes a JSON body, then every text bomb goes once into each of its string fields, as the only field', () => {
    const bombs = requests.filter((request) => request.bomb !== undefined);
    expect(bombs.map((request) => [request.method, request.path, request.bomb, Object.keys(JSON.parse(String(request.body)))])).toEqual(
      TEXT_BOMBS.map(([name]) => ['POST', '/api/notes', `${name} in text`, ['text']]),
    );
  });

  test("when drawn, then each operation is asked by a page's script without credentials and with wrong Basic ones", () => {
    const scripted = requests.filter((request) => request.headers['Sec-Fetch-Mode'] === SCRIPT_REQUEST_HEADERS['Sec-Fetch-Mode']);
    for (const route of ['POST /api/notes', 'GET /api/public', 'GET /health'])
      expect(
        scripted
          .filter((request) => `${request.method} ${request.path}` === route)
          .map((request) => request.headers.Authorization?.split(' ')[0]),
      ).toEqual(expect.arrayContaining([undefined, 'Basic']));
  });

  test('when an operation needs credentials (the document default), then its requests with them are personal; public and ops routes are not', () => {
    const personal = (route: string) => [
      ...new Set(
        requests
          .filter((request) => `${request.method} ${request.path.split('?')[0]}` === route)
          .map((request) => request.personal === true),
      ),
    ];
    expect([personal('POST /api/notes'), personal('GET /api/public'), personal('GET /health')]).toEqual([[false, true], [false], [false]]);
  });
});

describe('hostileAnswerProblem', () => {
  const script = { headers: { ...SCRIPT_REQUEST_HEADERS } };
  const answer = (status: number, headers: Record<string, string>, body?: unknown) => ({ status, headers, body });

  test.each([
    ['Basic to a page script', script, answer(401, { 'www-authenticate': 'Basic realm="chat"' }), /sign-in dialog/],
    [
      'Digest after another scheme, to a page script',
      script,
      answer(401, { 'www-authenticate': 'Bearer, Digest realm="x"' }),
      /sign-in dialog/,
    ],
    [
      'a personal 200 without no-store',
      { headers: {}, personal: true },
      answer(200, { 'cache-control': 'no-cache' }),
      /no-store \(no-cache\)/,
    ],
    [
      'a bomb carried back',
      { headers: {}, bomb: 'marks in text' },
      answer(201, {}, { text: `a${'\u0301'.repeat(9)}` }),
      /carrying back marks in text/,
    ],
    [
      'a C1 control carried back',
      { headers: {}, bomb: 'C1 in name' },
      answer(200, {}, { user: { name: 'x\u009b' } }),
      /carrying back C1 in name/,
    ],
  ])('when %s, then a problem', (_case, request, given, problem) => {
    expect(hostileAnswerProblem(request, given)).toMatch(problem);
  });

  test.each([
    ['xBasic to a page script', script, answer(401, { 'www-authenticate': 'xBasic realm="chat"' })],
    ['Basic to a client outside a browser', { headers: {} }, answer(401, { 'www-authenticate': 'Basic realm="chat"' })],
    ['Basic to a navigation', { headers: { 'Sec-Fetch-Mode': 'navigate' } }, answer(401, { 'www-authenticate': 'Basic realm="chat"' })],
    ['a personal 200 with no-store', { headers: {}, personal: true }, answer(200, { 'cache-control': 'private, no-store' })],
    ['a personal refusal without it', { headers: {}, personal: true }, answer(401, {})],
    [
      'a personal event stream',
      { headers: {}, personal: true },
      answer(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }),
    ],
    [
      'a bomb refused',
      { headers: {}, bomb: 'marks in text' },
      answer(400, {}, { error: { code: 'invalid_request', message: 'text must not stack marks' } }),
    ],
  ])('when %s, then none', (_case, request, given) => {
    expect(hostileAnswerProblem(request, given)).toBeUndefined();
  });
});
