// @ts-check
/**
 * The smoke journey, for production after a push: read-only. Every public app answers on
 * its route; with --user, that account logs in, reads messages and opens its event
 * stream, then logs out (which only revokes the journey's own token).
 */
const { check } = require('../http');
const { logIn } = require('../accounts');
const { openStream } = require('../events');

/** @typedef {import('../run').Journey} Journey */

/** @type {Journey} */
const smoke = {
  name: 'smoke',
  doc: 'read-only: the ui page, the JWKS, the user directory and messages refusing anonymous callers (and with --user: the directory, read and stream)',
  readOnly: true,
  async run({ client, user, log }) {
    const page = await client.expectStatus('the ui page', 200, 'GET', '/', { headers: { Accept: 'text/html' } });
    check(
      (page.headers.get('content-type') ?? '').startsWith('text/html'),
      'the ui page',
      'text/html',
      () => page.headers.get('content-type') ?? 'no content type',
      page.requestId,
    );
    const jwks = await client.expectStatus('the token keys', 200, 'GET', '/.well-known/jwks.json');
    check(
      Array.isArray(jwks.body?.keys) && jwks.body.keys.length > 0,
      'the token keys',
      'a JWKS with at least one key',
      () => jwks.text.slice(0, 120),
      jwks.requestId,
    );
    await client.expectStatus('the user directory refuses an anonymous caller', 401, 'GET', '/api/users?limit=1');
    await client.expectStatus('messages refuse an anonymous caller', 401, 'GET', '/api/messages?limit=1');
    if (!user) {
      log('no --user: skipped the signed-in checks');
      return;
    }
    const token = await logIn(client, user.nickname, user.nickname, user.password);
    const users = await client.expectStatus('the user directory', 200, 'GET', '/api/users?limit=1', { token });
    check(Array.isArray(users.body?.items), 'the user directory', '{items: [...]}', () => users.text.slice(0, 120), users.requestId);
    const messages = await client.expectStatus('read the newest messages', 200, 'GET', '/api/messages?limit=5', { token });
    check(
      Array.isArray(messages.body?.items),
      'read the newest messages',
      '{items: [...]}',
      () => messages.text.slice(0, 120),
      messages.requestId,
    );
    const stream = await openStream(client.base, token, { step: 'open the event stream' });
    stream.close();
    await client.expectStatus('log out', 204, 'DELETE', '/api/tokens', { token });
  },
};

module.exports = { journeys: [smoke] };
