// @ts-check
/** The HTTP journeys: every one through the public routes of one base URL. */
const { check } = require('../http');
const { createAccount, logIn, post } = require('../accounts');
const { openStream } = require('../events');

/** @typedef {import('../run').Journey} Journey */

/** @type {Journey} */
const signUpAndLogIn = {
  name: 'sign-up-and-log-in',
  doc: 'a new user signs up, logs in, sees their profile; a wrong password is refused',
  async run({ client }) {
    const alice = await createAccount(client, 'alice');
    const me = await client.expectStatus('read my profile', 200, 'GET', '/api/users/me', { token: alice.token });
    check(
      me.body?.id === alice.id && me.body?.nickname === alice.nickname,
      'read my profile',
      `{id: ${alice.id}, nickname: ${alice.nickname}}`,
      () => me.text,
      me.requestId,
    );
    const again = await logIn(client, 'alice again', alice.nickname, alice.password);
    check(again !== '', 'log in alice again', 'a token', () => 'none');
    await client.expectStatus('log in with a wrong password', 401, 'POST', '/api/tokens', {
      basic: { nickname: alice.nickname, password: `${alice.password}x` },
    });
  },
};

/** @type {Journey} */
const postAndReadBack = {
  name: 'post-and-read-back',
  doc: 'a message posted is readable by its id and in the newest page',
  async run({ client }) {
    const alice = await createAccount(client, 'alice');
    const text = `hello from the journey ${Date.now()}`;
    const posted = await post(client, alice, 'post a message', text);
    const one = await client.expectStatus('read it by id', 200, 'GET', `/api/messages/${encodeURIComponent(posted.id)}`, {
      token: alice.token,
    });
    check(
      one.body?.id === posted.id && one.body?.text === text,
      'read it by id',
      `message ${posted.id} "${text}"`,
      () => one.text,
      one.requestId,
    );
    const page = await client.expectStatus('read the newest page', 200, 'GET', '/api/messages?limit=200', { token: alice.token });
    const items = /** @type {{ id: string }[]} */ (page.body?.items ?? []);
    check(
      items.some((item) => item.id === posted.id),
      'read the newest page',
      `message ${posted.id} in the newest page`,
      () => `${items.length} items without it`,
      page.requestId,
    );
  },
};

/** @type {Journey} */
const liveDelivery = {
  name: 'live-delivery',
  doc: "bob sees alice's message on his event stream within 5 s",
  async run({ client }) {
    const [alice, bob] = await Promise.all([createAccount(client, 'alice'), createAccount(client, 'bob')]);
    const stream = await openStream(client.base, bob.token, { step: 'bob opens his event stream' });
    try {
      const posted = await post(client, alice, 'alice posts', `live ${Date.now()}`);
      const seen = await stream.waitFor(
        'bob sees it live',
        `message.created ${posted.id}`,
        (event) => event.name === 'message.created' && event.data?.payload?.id === posted.id,
      );
      check(seen.data.payload.text === posted.text, 'bob sees it live', `text "${posted.text}"`, () => JSON.stringify(seen.data.payload));
    } finally {
      stream.close();
    }
  },
};

/** @type {Journey} */
const resumeAfterDisconnect = {
  name: 'resume-with-last-event-id',
  doc: 'after a disconnect, Last-Event-ID brings exactly the missed messages, in order',
  async run({ client }) {
    const [alice, bob] = await Promise.all([createAccount(client, 'alice'), createAccount(client, 'bob')]);
    /** @param {import('../events').StreamEvent} event */
    const byAlice = (event) => event.name === 'message.created' && event.data?.payload?.author?.id === alice.id;
    const first = await openStream(client.base, bob.token, { step: 'bob opens his event stream' });
    let lastId;
    try {
      const before = await post(client, alice, 'alice posts while bob listens', 'before the disconnect');
      lastId = (
        await first.waitFor(
          'bob receives it',
          `message.created ${before.id}`,
          (event) => byAlice(event) && event.data.payload.id === before.id,
        )
      ).id;
    } finally {
      first.close();
    }
    /** @type {string[]} */
    const missed = [];
    for (const n of [1, 2, 3]) missed.push((await post(client, alice, `alice posts missed message ${n}`, `missed ${n}`)).id);
    const resumed = await openStream(client.base, bob.token, { step: 'bob reconnects with Last-Event-ID', lastEventId: lastId });
    try {
      await resumed.waitFor(
        'bob receives what he missed',
        `message.created ${missed.at(-1)}`,
        (event) => byAlice(event) && event.data.payload.id === missed.at(-1),
      );
      const got = resumed.events.filter(byAlice).map((event) => event.data.payload.id);
      check(JSON.stringify(got) === JSON.stringify(missed), 'bob receives what he missed', `exactly ${missed.join(', ')} in order`, () =>
        got.join(', '),
      );
    } finally {
      resumed.close();
    }
  },
};

/** @type {Journey} */
const tokenRevocation = {
  name: 'token-revocation',
  doc: 'after DELETE /api/tokens the token is refused everywhere',
  async run({ client }) {
    const alice = await createAccount(client, 'alice');
    await client.expectStatus('the token works before logging out', 200, 'GET', '/api/users/me', { token: alice.token });
    await client.expectStatus('log out', 204, 'DELETE', '/api/tokens', { token: alice.token });
    const everywhere = /** @type {[string, string, unknown?][]} */ ([
      ['GET', '/api/users/me'],
      ['GET', '/api/messages'],
      ['POST', '/api/messages', { text: 'after logout' }],
      ['DELETE', '/api/tokens'],
    ]);
    for (const [method, path, json] of everywhere) {
      await client.expectStatus(`the revoked token on ${method} ${path}`, 401, method, path, { token: alice.token, json });
    }
    // The event stream refuses it too (before any stream opens).
    const refused = await client.call('the revoked token on GET /api/events', 'GET', '/api/events', {
      token: alice.token,
      headers: { Accept: 'text/event-stream' },
    });
    check(
      refused.status === 401,
      'the revoked token on GET /api/events',
      'GET /api/events -> 401',
      () => `${refused.status}`,
      refused.requestId,
    );
  },
};

module.exports = { journeys: [signUpAndLogIn, postAndReadBack, liveDelivery, resumeAfterDisconnect, tokenRevocation] };
