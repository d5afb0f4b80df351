// @ts-check
/**
 * After a push: polls each app's /version until it reports the pushed version, or fails
 * when the deadline passes, naming each app that did not and what it answered last.
 */

const http = require('node:http');
const https = require('node:https');

/**
 * @typedef {{ app: string, url: string, host?: string }} VersionTarget
 *   host: a Host header to send (a local router routes each app's own host name; fetch
 *   cannot set Host, so this uses node:http).
 */

/**
 * What one app answers on /version right now: its version, or why there is none.
 * @param {VersionTarget} target
 * @returns {Promise<{ version?: string, problem?: string }>}
 */
function currentVersion(target) {
  const url = new URL(`${target.url.replace(/\/$/, '')}/version`);
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise((resolve) => {
    const request = get(
      url,
      { headers: { Accept: 'application/json', ...(target.host ? { Host: target.host } : {}) }, timeout: 5000 },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) return resolve({ problem: `HTTP ${response.statusCode}` });
          try {
            const body = JSON.parse(text);
            resolve(typeof body.version === 'string' ? { version: body.version } : { problem: 'no version field' });
          } catch {
            resolve({ problem: 'not JSON' });
          }
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => resolve({ problem: /** @type {NodeJS.ErrnoException} */ (error).code ?? error.message }));
  });
}

/**
 * @param {VersionTarget[]} targets
 * @param {string} expected
 * @param {{ timeoutMs?: number, intervalMs?: number, log?: (line: string) => void }} [options]
 * @returns {Promise<{ ok: true } | { ok: false, reason: string }>}
 */
async function waitForVersion(targets, expected, options = {}) {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  /** @type {Map<string, string>} */
  const pending = new Map(targets.map((target) => [target.app, 'not asked yet']));
  for (;;) {
    await Promise.all(
      targets
        .filter((target) => pending.has(target.app))
        .map(async (target) => {
          const answer = await currentVersion(target);
          if (answer.version === expected) {
            pending.delete(target.app);
            options.log?.(`${target.app} answers ${expected}`);
          } else pending.set(target.app, answer.version ? `version ${answer.version}` : (answer.problem ?? 'no answer'));
        }),
    );
    if (pending.size === 0) return { ok: true };
    if (Date.now() > deadline) {
      return {
        ok: false,
        reason: `not at version ${expected} in time: ${[...pending].map(([app, last]) => `${app} (${last})`).join(', ')}`,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
  }
}

module.exports = { currentVersion, waitForVersion };
