// @ts-check
/** Accounts for the journeys: uniquely named, so a journey can run against production again and again. */
const { check, uniqueNickname, newPassword } = require('./http');

/**
 * @typedef {{ id: string, nickname: string, password: string, token: string }} Account
 * @typedef {import('./http').Client} Client
 */

/**
 * Registers a new user and logs in.
 * @param {Client} client @param {string} role a word for the nickname ("alice", "bob")
 * @returns {Promise<Account>}
 */
async function createAccount(client, role) {
  const nickname = uniqueNickname(role);
  const password = newPassword();
  const created = await client.expectStatus(`sign up ${role}`, 201, 'POST', '/api/users', { json: { nickname, password } });
  check(
    created.body?.nickname === nickname && typeof created.body?.id === 'string',
    `sign up ${role}`,
    `a user {id, nickname: "${nickname}"}`,
    () => created.text,
    created.requestId,
  );
  const token = await logIn(client, role, nickname, password);
  return { id: created.body.id, nickname, password, token };
}

/**
 * POST /api/tokens with HTTP Basic; returns the access token.
 * @param {Client} client @param {string} role @param {string} nickname @param {string} password
 */
async function logIn(client, role, nickname, password) {
  const step = `log in ${role}`;
  const reply = await client.expectStatus(step, 200, 'POST', '/api/tokens', { basic: { nickname, password } });
  check(
    typeof reply.body?.access_token === 'string' && reply.body?.token_type === 'Bearer',
    step,
    'an access token of type Bearer',
    () => reply.text,
    reply.requestId,
  );
  return /** @type {string} */ (reply.body.access_token);
}

/**
 * Posts a message and returns it.
 * @param {Client} client @param {Account} account @param {string} step @param {string} text
 * @returns {Promise<{ id: string, text: string, author: { id: string, nickname: string } }>}
 */
async function post(client, account, step, text) {
  const reply = await client.expectStatus(step, 201, 'POST', '/api/messages', { token: account.token, json: { text } });
  check(
    reply.body?.text === text && reply.body?.author?.id === account.id,
    step,
    `the message "${text}" by ${account.nickname}`,
    () => reply.text,
    reply.requestId,
  );
  return reply.body;
}

module.exports = { createAccount, logIn, post };
