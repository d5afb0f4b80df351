// @ts-check
/**
 * The order `scripts/push --target cf` pushes the apps in, keeping the system working while
 * old and new releases run side by side: tokens first (it publishes the JWKS every other app
 * verifies with, so a new key is served before anything new relies on it), then users
 * (tokens calls its internal credentials route; it verifies tokens), messages (writes the
 * events push streams), push (reads them), and ui last: the client that calls every API
 * meets only APIs that are already new. scripts/new-app puts a new app before ui; apps the
 * list does not name follow, in manifest order.
 */
const PUSH_ORDER = ['tokens', 'users', 'messages', 'push', 'ui'];

/** @param {string[]} apps the manifest's apps @returns {string[]} */
function pushOrder(apps) {
  return [...PUSH_ORDER.filter((app) => apps.includes(app)), ...apps.filter((app) => !PUSH_ORDER.includes(app))];
}

module.exports = { PUSH_ORDER, pushOrder };
