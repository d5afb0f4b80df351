// @ts-check
/**
 * scripts/e2e <base-url> [--user nick:pass] [--expect-version x.y.z] [--only name,...]
 *                        [--app-host '<host>-{app}.<domain>' | --app-url 'https://<host>-{app}.<domain>' | --app-url 'ui=<url>,users=<url>,...']
 *                        [--results <dir>] [--list]
 * Runs the journeys against any environment through its public routes, side by side, and
 * prints one line per journey and a summary. A journey that fails names its step, what it
 * expected, what it got and the request id. Results (and screenshots) go under
 * e2e/results/<run>/. Exit: 0 all passed, 1 a journey failed or the base URL does not
 * answer or --user's credentials are wrong, 2 bad arguments.
 */
const fs = require('node:fs');
const path = require('node:path');
const { createClient, JourneyError } = require('./http');
const { versionTargets } = require('./journeys/versions');
const { parseCommand, usageError } = require('@bundle/args');

/**
 * @typedef {{ client: import('./http').Client, user?: { nickname: string, password: string }, expectVersion?: string,
 *   appHost?: string, appUrl?: string, resultsDir: string, log: (line: string) => void }} Context
 * @typedef {{ name: string, doc: string, readOnly?: boolean, run: (context: Context) => Promise<void> }} Journey
 */

/** @type {Journey[]} */
const JOURNEYS = [
  ...require('./journeys/api').journeys,
  ...require('./journeys/versions').journeys,
  ...require('./journeys/browser').journeys,
  ...require('./journeys/smoke').journeys,
];
/** Without --only: everything but the smoke journey (a subset of the others). */
const DEFAULT = JOURNEYS.filter((journey) => journey.name !== 'smoke').map((journey) => journey.name);
/** @type {import('@bundle/args').Command} */
const COMMAND = {
  name: 'e2e',
  usage:
    "usage: scripts/e2e <base-url> [--user nick:pass] [--expect-version x.y.z] [--only name,...] [--app-host '<host>-{app}.<domain>' | --app-url '<url with {app}>' | --app-url 'ui=<url>,users=<url>,...'] [--results <dir>] [--list]",
  about:
    'Runs the journeys against a base URL through its public routes and prints one line per journey\nand a summary. Exit 0 all passed, 1 a journey failed or the base URL does not answer, 2 bad arguments.',
  positionals: ['<base-url>  where the chat answers, e.g. http://127.0.0.1:8081'],
  maxPositionals: 1,
  options: {
    user: { type: 'string', value: 'nick:pass', doc: 'an existing user, for the signed-in checks' },
    'expect-version': { type: 'string', value: 'x.y.z', doc: "every app's /version must answer this" },
    only: { type: 'string', value: 'name,...', doc: 'only these journeys (--list names them; default all but smoke)' },
    'app-host': { type: 'string', value: "'<host>-{app}.<domain>'", doc: "each app's own route, as a Host name through the base URL" },
    'app-url': { type: 'string', value: "'<url with {app}>'", doc: "each app's own URL, or app=url for each app" },
    results: { type: 'string', value: '<dir>', doc: 'where results and screenshots go (default e2e/results/<run>)' },
    list: { type: 'boolean', doc: 'list the journeys' },
  },
};

/** @param {string} message @param {number} code @returns {never} */
function stop(message, code) {
  process.stderr.write(`e2e: ${message}\n`);
  process.exit(code);
}

/** @param {string[]} argv */
function parseArgs(argv) {
  const { values, positionals } = parseCommand(argv, COMMAND);
  /** @param {string} name */
  const text = (name) => (typeof values[name] === 'string' ? /** @type {string} */ (values[name]) : undefined);
  /** @type {{ base?: string, user?: { nickname: string, password: string }, expectVersion?: string, only: string[], appHost?: string, appUrl?: string, results?: string, list: boolean }} */
  const options = {
    base: positionals[0],
    only: DEFAULT,
    list: values.list === true,
    expectVersion: text('expect-version'),
    appHost: text('app-host'),
    appUrl: text('app-url'),
    results: text('results'),
  };
  const only = text('only');
  if (only !== undefined) options.only = only.split(',').filter(Boolean);
  const user = text('user');
  if (user !== undefined) {
    const colon = user.indexOf(':');
    if (colon <= 0 || colon === user.length - 1) usageError(COMMAND, '--user takes nickname:password');
    options.user = { nickname: user.slice(0, colon), password: user.slice(colon + 1) };
  }
  return options;
}

/** @param {number} ms */
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.list) {
    for (const journey of JOURNEYS)
      process.stdout.write(`${journey.name.padEnd(26)} ${journey.readOnly ? '(read-only) ' : ''}${journey.doc}\n`);
    return;
  }
  if (!options.base) return usageError(COMMAND, 'a base URL is needed, e.g. http://127.0.0.1:8081');
  let base;
  try {
    base = new URL(options.base);
  } catch {
    return usageError(COMMAND, `"${options.base}" is not a URL (e.g. http://127.0.0.1:8081)`);
  }
  if (!['http:', 'https:'].includes(base.protocol)) return usageError(COMMAND, `"${options.base}" is not an http(s) URL`);
  const unknown = options.only.filter((name) => !JOURNEYS.some((journey) => journey.name === name));
  if (unknown.length > 0)
    return usageError(COMMAND, `unknown journey ${unknown.join(', ')} (known: ${JOURNEYS.map((j) => j.name).join(', ')})`);
  if (options.appUrl) {
    try {
      versionTargets(base.href, undefined, options.appUrl);
    } catch (error) {
      return usageError(COMMAND, error instanceof Error ? error.message : String(error));
    }
  }

  const client = createClient(base.href);
  await preflight(client, options.user);

  const run = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.resolve(options.results ?? path.join(__dirname, '..', 'results', run));
  fs.mkdirSync(resultsDir, { recursive: true });
  const selected = JOURNEYS.filter((journey) => options.only.includes(journey.name));
  process.stdout.write(
    `e2e: ${selected.length} journey${selected.length === 1 ? '' : 's'} against ${client.base}${options.expectVersion ? ` expecting version ${options.expectVersion}` : ''}\n`,
  );
  const started = Date.now();
  /** @param {Journey} journey */
  const runOne = async (journey) => {
    const begun = Date.now();
    /** @type {Context} */
    const context = {
      client,
      user: options.user,
      expectVersion: options.expectVersion,
      appHost: options.appHost,
      appUrl: options.appUrl,
      resultsDir,
      log: (line) => process.stdout.write(`e2e: ${journey.name}: ${line}\n`),
    };
    try {
      await journey.run(context);
      const ms = Date.now() - begun;
      process.stdout.write(`e2e: PASS ${journey.name} (${seconds(ms)})\n`);
      return { name: journey.name, ok: true, ms };
    } catch (error) {
      const ms = Date.now() - begun;
      const reason =
        error instanceof JourneyError
          ? error.message
          : `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      process.stdout.write(`e2e: FAIL ${journey.name} (${seconds(ms)}): ${reason}\n`);
      return { name: journey.name, ok: false, ms, reason };
    }
  };
  // The browser journey runs beside the HTTP ones, which run one after another: each
  // sign-up and log-in costs the users app a deliberately slow password hash, and a burst
  // of them would measure its capacity rather than the journeys.
  const browserJourneys = selected.filter((journey) => journey.name === 'browser');
  const others = selected.filter((journey) => journey.name !== 'browser');
  const inSeries = async () => {
    const done = [];
    for (const journey of others) done.push(await runOne(journey));
    return done;
  };
  const [series, ...beside] = await Promise.all([inSeries(), ...browserJourneys.map(runOne)]);
  const results = selected.map(
    (journey) =>
      /** @type {{ name: string, ok: boolean, ms: number, reason?: string }} */ (
        [...series, ...beside].find((result) => result.name === journey.name)
      ),
  );
  const failed = results.filter((result) => !result.ok);
  const total = Date.now() - started;
  fs.writeFileSync(
    path.join(resultsDir, 'results.json'),
    `${JSON.stringify({ base: client.base, expectVersion: options.expectVersion, ms: total, results }, null, 2)}\n`,
  );
  process.stdout.write(
    `e2e: ${results.length - failed.length} passed, ${failed.length} failed in ${seconds(total)} (results in ${path.relative(process.cwd(), resultsDir)})\n`,
  );
  if (failed.length > 0) {
    process.stderr.write(
      `e2e: ${
        failed
          .map((result) => `${result.name}: ${result.reason}`)
          .join('; ')
          .split('\n')[0]
      }\n`,
    );
    process.exitCode = 1;
  }
}

/**
 * Stops with one line when the base URL does not answer, or --user cannot log in.
 * @param {import('./http').Client} client @param {{ nickname: string, password: string }} [user]
 */
async function preflight(client, user) {
  let home;
  try {
    home = await client.call('reach the base URL', 'GET', '/', { timeoutMs: 5000, headers: { Accept: 'text/html' } });
  } catch (error) {
    const got = error instanceof JourneyError ? error.message.replace(/^.*, got /, '').replace(/ \(request id.*$/, '') : String(error);
    stop(`${client.base} does not answer (${got})`, 1);
  }
  // The ui answers / on the public host; anything else there (a 404 from some other
  // server, a 503 from a router with no instances) would fail every journey the same way.
  if (home.status >= 400) stop(`${client.base} answers, but not as the chat: GET / -> ${home.status} (request id ${home.requestId})`, 1);
  if (!user) return;
  const reply = await client.call('log in with --user', 'POST', '/api/tokens', { basic: user }).catch(() => undefined);
  if (!reply) stop(`${client.base} does not answer POST /api/tokens`, 1);
  if (reply.status === 401)
    stop(
      `wrong credentials for --user ${user.nickname} (401${reply.body?.error?.code ? ` ${reply.body.error.code}` : ''}, request id ${reply.requestId})`,
      1,
    );
  if (reply.status !== 200)
    stop(`cannot log in as ${user.nickname}: POST /api/tokens answered ${reply.status} (request id ${reply.requestId})`, 1);
  // That token is not needed: revoke it so the check leaves nothing behind.
  await client.call('log out', 'DELETE', '/api/tokens', { token: reply.body?.access_token }).catch(() => undefined);
}

void main();
