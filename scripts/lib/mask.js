// @ts-check
/**
 * What scripts/env shows of an app's environment: every value, but secrets as <hidden>.
 *   - a variable whose name says it holds a secret (…_KEY, …_TOKEN, …SECRET…, …PASSWORD…,
 *     …_CREDENTIALS): hidden whole;
 *   - a URL with credentials in it (rediss://:pw@host): the password (or a lone user name,
 *     often a token) hidden, the rest shown, so which host it points at stays readable;
 *   - VCAP_SERVICES: each binding's credentials hidden but host, hostname, port and the
 *     URLs (masked as above); name, label, plan and tags stay as they are.
 * TOKEN_ISSUER or JWKS_URL say where, not what: shown.
 */
const HIDDEN = '<hidden>';
const SECRET_NAME = /(^|_)(KEY|TOKEN|CREDENTIALS?)$|SECRET|PASSWORD|PASSWD|PRIVATE/i;
/** Credentials fields that say where, not what. */
const WHERE = new Set(['host', 'hostname', 'port', 'name', 'database', 'db', 'tls', 'ssl']);

/** The URL with its credentials hidden; anything that is not a URL with credentials, as it is. @param {string} value */
function maskUrl(value) {
  const at = /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i.exec(value);
  if (!at) return value;
  const [whole, scheme, userinfo] = /** @type {[string, string, string]} */ (/** @type {unknown} */ (at));
  const colon = userinfo.indexOf(':');
  const shown = colon === -1 ? HIDDEN : `${userinfo.slice(0, colon)}:${HIDDEN}`;
  return `${scheme}${shown}@${value.slice(whole.length)}`;
}

/** @param {unknown} credentials @returns {unknown} */
function maskCredentials(credentials) {
  if (!credentials || typeof credentials !== 'object' || Array.isArray(credentials)) return HIDDEN;
  return Object.fromEntries(
    Object.entries(credentials).map(([key, value]) => {
      if (typeof value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [key, maskUrl(value)];
      if (WHERE.has(key.toLowerCase()) && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'))
        return [key, value];
      return [key, HIDDEN];
    }),
  );
}

/** VCAP_SERVICES with every binding's credentials masked; text that is not its JSON, hidden whole. @param {string} text */
function maskServices(text) {
  let services;
  try {
    services = JSON.parse(text);
  } catch {
    return HIDDEN;
  }
  if (!services || typeof services !== 'object') return HIDDEN;
  const masked = Object.fromEntries(
    Object.entries(services).map(([label, bindings]) => [
      label,
      Array.isArray(bindings)
        ? bindings.map((binding) =>
            binding && typeof binding === 'object' ? { ...binding, credentials: maskCredentials(binding.credentials) } : HIDDEN,
          )
        : HIDDEN,
    ]),
  );
  return JSON.stringify(masked);
}

/** One variable's value as scripts/env shows it. @param {string} name @param {string} value */
function maskValue(name, value) {
  if (name === 'VCAP_SERVICES') return maskServices(value);
  if (SECRET_NAME.test(name)) return value === '' ? '' : HIDDEN;
  return maskUrl(value);
}

/** @param {Record<string, string>} env @returns {Record<string, string>} */
const maskEnv = (env) => Object.fromEntries(Object.entries(env).map(([name, value]) => [name, maskValue(name, value)]));

/** KEY=<hidden> when the variable's name says it holds a secret, else KEY=value (what a printed set-env step shows). @param {string} name @param {string} value */
const shownPair = (name, value) => `${name}=${SECRET_NAME.test(name) ? HIDDEN : maskUrl(value)}`;

module.exports = { HIDDEN, maskEnv, maskValue, maskUrl, shownPair };
