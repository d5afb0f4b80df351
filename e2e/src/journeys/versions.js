// @ts-check
/**
 * Every app's /version agrees (with --expect-version, equals it). /version is an
 * operational endpoint on each app's own route (`<host>-<app>.<domain>` in manifest.yml),
 * not on the shared public host, whose paths belong to the apps' APIs. How each app is
 * reached:
 *   --app-host '<host>-{app}.<domain>'  requests go to the base URL with that Host header
 *                                       (a local space's router routes by Host);
 *   --app-url 'https://x-{app}.example'  each app's own URL (Heroku's per-app hosts);
 *   --app-url 'ui=http://127.0.0.1:5100,users=http://127.0.0.1:5200,...'  one URL per
 *                                       app (a Procfile runner: one port per process type);
 *   otherwise, for a base URL on a DNS name `chat.example.com`, `chat-{app}.example.com`.
 */
const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const { JourneyError, check } = require('../http');

const APPS = ['ui', 'users', 'tokens', 'messages', 'push'];

/** @typedef {import('../run').Journey} Journey */
/** @typedef {import('../run').Context} Context */

/** @param {string} hostname */
const isLocal = (hostname) => ['localhost', '127.0.0.1', '[::1]'].includes(hostname) || /^\d+\.\d+\.\d+\.\d+$/.test(hostname);

/**
 * Where each app's /version answers: a URL, and the Host header to send.
 * @param {string} base @param {string | undefined} appHost @param {string} [appUrl]
 * @returns {{ app: string, url: string, host?: string }[]}
 */
function versionTargets(base, appHost, appUrl) {
  const url = new URL(base);
  if (appUrl) return APPS.map((app) => ({ app, url: `${appUrlOf(appUrl, app).replace(/\/+$/, '')}/version` }));
  if (appHost) return APPS.map((app) => ({ app, url: `${url.origin}/version`, host: appHost.replace('{app}', app) }));
  if (isLocal(url.hostname))
    throw new Error(`with a local base URL (${url.host}), say how to reach each app: --app-host '<host>-{app}.<domain>'`);
  const [first, ...rest] = url.hostname.split('.');
  return APPS.map((app) => ({ app, url: `${url.protocol}//${first}-${app}.${rest.join('.')}${url.port ? `:${url.port}` : ''}/version` }));
}

/**
 * One app's URL from --app-url: a template with {app}, or a list of app=url pairs.
 * @param {string} appUrl @param {string} app
 */
function appUrlOf(appUrl, app) {
  if (appUrl.includes('{app}')) return appUrl.replace('{app}', app);
  const listed = new Map(
    appUrl.split(',').map((pair) => {
      const equals = pair.indexOf('=');
      return [pair.slice(0, equals), pair.slice(equals + 1)];
    }),
  );
  const url = listed.get(app);
  if (!url) throw new Error(`--app-url gives no URL for ${app}: use one URL with {app} in it, or app=url for each of ${APPS.join(', ')}`);
  if (!URL.canParse(url)) throw new Error(`--app-url: "${url}" (for ${app}) is not a URL`);
  return url;
}

/**
 * GET a JSON document with an optional Host header (fetch does not let one set Host).
 * @param {string} step @param {string} target @param {string} [host]
 * @returns {Promise<{ status: number, body: any, text: string, requestId: string }>}
 */
function getJson(step, target, host) {
  const requestId = `e2e-${crypto.randomUUID()}`;
  const url = new URL(target);
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise((resolve, reject) => {
    const request = get(
      url,
      { headers: { Accept: 'application/json', 'X-Request-Id': requestId, ...(host ? { Host: host } : {}) }, timeout: 10_000 },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          let body;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          resolve({ status: response.statusCode ?? 0, body, text, requestId: String(response.headers['x-request-id'] ?? requestId) });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) =>
      reject(
        new JourneyError(
          step,
          `an answer from ${host ?? url.host}`,
          /** @type {NodeJS.ErrnoException} */ (error).code ?? error.message,
          requestId,
        ),
      ),
    );
  });
}

/** @type {Journey} */
const versions = {
  name: 'versions',
  doc: "every app's /version agrees (and equals --expect-version when given)",
  readOnly: true,
  async run(context) {
    let targets;
    try {
      targets = versionTargets(context.client.base, context.appHost, context.appUrl);
    } catch (error) {
      throw new JourneyError('find each app', 'a way to reach each app', error instanceof Error ? error.message : String(error));
    }
    /** @type {Record<string, string>} */
    const found = {};
    for (const target of targets) {
      const step = `${target.app} /version`;
      const reply = await getJson(step, target.url, target.host);
      check(
        reply.status === 200 && typeof reply.body?.version === 'string',
        step,
        `200 {app: "${target.app}", version}`,
        () => `${reply.status} ${reply.text.slice(0, 120)}`,
        reply.requestId,
      );
      check(reply.body.app === target.app, step, `app "${target.app}"`, () => `app "${reply.body.app}"`, reply.requestId);
      if (context.expectVersion)
        check(
          reply.body.version === context.expectVersion,
          step,
          `version ${context.expectVersion}`,
          () => `version ${reply.body.version}`,
          reply.requestId,
        );
      found[target.app] = reply.body.version;
    }
    const distinct = [...new Set(Object.values(found))];
    check(distinct.length === 1, 'all apps agree', 'one version across apps', () =>
      Object.entries(found)
        .map(([app, version]) => `${app} ${version}`)
        .join(', '),
    );
    context.log(`every app answers version ${distinct[0]}`);
  },
};

module.exports = { journeys: [versions], versionTargets, APPS };
