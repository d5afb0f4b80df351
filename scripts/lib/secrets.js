// @ts-check
/**
 * The secrets a space needs, generated on the spot and handed straight to the platform:
 * the service key users and tokens share (apps/users and apps/tokens read SERVICE_KEY or
 * the "service-credentials" binding's credentials.key, at least 16 characters) and the
 * token signing key (TOKEN_SIGNING_KEY or "token-keys" credentials.signing_key: a PEM
 * PKCS8 private key, EC P-256 for ES256).
 */
const crypto = require('node:crypto');

/** 32 random bytes, base64url: 43 characters. */
const serviceKey = () => crypto.randomBytes(32).toString('base64url');

/** A new EC P-256 private key as PEM PKCS8. */
const signingKey = () =>
  crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

module.exports = { serviceKey, signingKey };
