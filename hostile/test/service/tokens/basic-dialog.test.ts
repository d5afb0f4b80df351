import { closeTestRedis } from '@bundle/kit/testing';
import { basic, startHarness, uniqueNickname, VERIFY_ROUTE, type Harness } from '../../../../apps/tokens/test/service/harness';

// Round 2, item 8: a wrong password answered the ui's own fetch with
// `WWW-Authenticate: Basic realm="chat"`, and the browser raised its native sign-in dialog
// over the page. A page's script (Fetch Metadata, or X-Requested-With) gets a challenge no
// browser acts on; a navigation and a client outside a browser still get Basic (RFC 7617).
let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  harness.users.on(VERIFY_ROUTE, () => ({ status: 401, body: { error: { code: 'invalid_credentials', message: 'no' } } }));
});
afterAll(async () => {
  await harness.close();
  await closeTestRedis();
});

const wrongPassword = (headers: Record<string, string>) => {
  let call = harness.request.post('/api/tokens').set('Authorization', basic(uniqueNickname('dialog'), 'wrong password'));
  for (const [name, value] of Object.entries(headers)) call = call.set(name, value);
  return call;
};

describe('POST /api/tokens: the challenge of a 401', () => {
  test.each([
    ["a page's fetch (Sec-Fetch-Mode: cors)", { 'Sec-Fetch-Mode': 'cors', 'Sec-Fetch-Site': 'same-origin' }],
    ["a page's same-origin fetch", { 'Sec-Fetch-Mode': 'same-origin' }],
    ['a no-cors fetch', { 'Sec-Fetch-Mode': 'no-cors' }],
    ['a script on a plain-http origin (X-Requested-With)', { 'X-Requested-With': 'XMLHttpRequest' }],
    ['X-Requested-With in another case', { 'X-Requested-With': 'xmlhttprequest' }],
  ])('when the wrong password comes from %s, then 401 invalid_credentials with a challenge that is not Basic', async (_case, headers) => {
    const response = await wrongPassword(headers);
    expect([response.status, response.body.error.code, response.headers['www-authenticate']]).toEqual([
      401,
      'invalid_credentials',
      'xBasic realm="chat"',
    ]);
  });

  test("when a page's script sends no credentials or malformed ones, then 401 unauthorized without the Basic challenge either", async () => {
    const none = await harness.request.post('/api/tokens').set('Sec-Fetch-Mode', 'cors');
    const malformed = await harness.request.post('/api/tokens').set('Sec-Fetch-Mode', 'cors').set('Authorization', 'Basic !!!');
    expect([none.headers['www-authenticate'], malformed.headers['www-authenticate']]).toEqual([
      'xBasic realm="chat"',
      'xBasic realm="chat"',
    ]);
  });

  test.each([
    ['a client outside a browser (no Fetch Metadata)', {}],
    ['a navigation (a form or the address bar)', { 'Sec-Fetch-Mode': 'navigate', 'Sec-Fetch-Dest': 'document' }],
    ['a client that names another X-Requested-With', { 'X-Requested-With': 'com.example.app' }],
  ])('when the wrong password comes from %s, then the Basic challenge (RFC 7617)', async (_case, headers) => {
    const response = await wrongPassword(headers);
    expect([response.status, response.headers['www-authenticate']]).toEqual([401, 'Basic realm="chat"']);
  });
});
