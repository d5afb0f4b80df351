// @ts-check
/**
 * The keys of a rotation (scripts/rotate-keys): a new signing key, and the current one's
 * public half and kid as the tokens app reads them (TOKEN_SIGNING_KEY or the token-keys
 * binding's signing_key; its kid from TOKEN_SIGNING_KEY_ID, key_id, else the RFC 7638
 * thumbprint, as apps/tokens/src/domain/keys.ts makes it).
 */
const crypto = require('node:crypto');
const { calculateJwkThumbprint } = require('jose');

/** A key as JWK JSON text on one line: what a variable holds on every target (a PEM's newlines do not survive every CLI). */
const jwkText = (/** @type {crypto.KeyObject} */ key) => JSON.stringify(key.export({ format: 'jwk' }));

/** The RFC 7638 thumbprint of a key's public half. @param {crypto.KeyObject} key */
const thumbprintOf = (key) =>
  calculateJwkThumbprint(/** @type {import('jose').JWK} */ (crypto.createPublicKey(key).export({ format: 'jwk' })));

/** A new EC P-256 (ES256) signing key: its private JWK text and its kid. */
async function newSigningKey() {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateJwk: jwkText(privateKey), kid: await thumbprintOf(privateKey) };
}

/** PEM (also with escaped newlines) or JWK text, as the tokens app accepts it. @param {string} text */
function parsePrivate(text) {
  const trimmed = text.trim();
  return trimmed.startsWith('{')
    ? crypto.createPrivateKey({ key: JSON.parse(trimmed), format: 'jwk' })
    : crypto.createPrivateKey({ key: trimmed.includes('\n') ? trimmed : trimmed.replace(/\\n/g, '\n'), format: 'pem' });
}

/**
 * The key the tokens app signs with, from its environment (scripts/env's unmasked view):
 * its public JWK text and kid; undefined when it has none (it makes one per process).
 * A key that does not parse throws with the place named, never the value.
 * @param {Record<string, string>} env
 */
async function currentSigningKey(env) {
  /** @type {Record<string, unknown>} */
  let credentials = {};
  try {
    const services = /** @type {Record<string, Array<{ name?: string, credentials?: Record<string, unknown> }>>} */ (
      JSON.parse(env.VCAP_SERVICES ?? '{}')
    );
    credentials =
      Object.values(services)
        .flat()
        .find((binding) => binding.name === 'token-keys')?.credentials ?? {};
  } catch {
    // no bindings to read: the variables alone
  }
  const field = (/** @type {string} */ name) =>
    typeof credentials[name] === 'string' && credentials[name] !== '' ? credentials[name] : undefined;
  const fromVariable = (env.TOKEN_SIGNING_KEY ?? '').trim() !== '';
  const text = fromVariable ? env.TOKEN_SIGNING_KEY : field('signing_key');
  if (text === undefined) return undefined;
  let key;
  try {
    key = parsePrivate(text);
  } catch {
    throw new Error(`${fromVariable ? 'TOKEN_SIGNING_KEY' : "the token-keys binding's signing_key"} is not a key the tokens app can read`);
  }
  const kid = env.TOKEN_SIGNING_KEY_ID || field('key_id') || (await thumbprintOf(key));
  return { publicJwk: jwkText(crypto.createPublicKey(key)), kid };
}

module.exports = { newSigningKey, currentSigningKey };
