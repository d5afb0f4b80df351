// @ts-check
/**
 * scripts/new-app <name>: a new app from scripts/templates/app/, and every deploy file
 * edited in place to run it (manifest.yml, Procfile, heroku/<name>.Procfile, heroku.json,
 * .env.example's ROUTES, the local marketplace, tsconfig.build.json, package-lock.json,
 * the cf push order, the versions journey's apps, the Heroku gateway's generated files).
 * scripts/remove-app is its inverse.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('../lib/run');
const { parseCommand, usageError } = require('@bundle/args');
const { readBundle } = require('../scaffold/bundle');
const { renderApp } = require('../scaffold/template');
const { addChanges } = require('../scaffold/edits');
const { applyChanges } = require('../scaffold/apply');
const { gatewayChanges, oneLine } = require('../targets/heroku/gateway/files');
const { checkName, refuse } = require('../scaffold/names');
const { parseJsonFile } = require('../lib/project-files');
const { nextSteps } = require('../scaffold/next-steps');

/**
 * The Heroku gateway's files, generated from the manifest the changes write (before any is
 * written): a route it cannot serve stops the command in one line.
 * @param {import('../scaffold/edits').Change[]} changes
 */
function gatewayEdits(changes) {
  try {
    return gatewayChanges(ROOT, changes);
  } catch (error) {
    return refuse('new-app', oneLine(error));
  }
}

/** vars/<space>.yml, each space's values. */
const varsFiles = () =>
  fs.existsSync(path.join(ROOT, 'vars'))
    ? fs
        .readdirSync(path.join(ROOT, 'vars'))
        .filter((file) => file.endsWith('.yml'))
        .sort()
        .map((file) => `vars/${file}`)
    : [];

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/new-app <name> [--route <path> | --no-route] [--worker] [--redis <binding> | --no-redis | --postgres] [--dry-run]',
  about: [
    'Creates apps/<name>/ from scripts/templates/app/ (routes -> domain -> store, a convict schema,',
    'an OpenAPI document, unit and service tests) and adds the app to every deploy file, keeping',
    'their comments and order. Then: npx jest apps/<name>, npm start, scripts/pipeline.',
  ].join('\n'),
  positionals: ['<name>  the app: a lowercase letter, then lowercase letters, digits and single hyphens'],
  maxPositionals: 1,
  name: 'new-app',
  options: {
    route: { type: 'string', value: '<path>', doc: 'its public path on the shared host (default /api/<name>)' },
    'no-route': {
      type: 'boolean',
      doc: 'no public route: a worker-only app (implies --worker); its web process serves only /health, /ready, /version, /metrics',
    },
    worker: { type: 'boolean', doc: 'a second process reading the event bus (src/worker.ts)' },
    redis: { type: 'string', value: '<binding>', doc: 'the binding of its own Redis (default <name>-db)' },
    'no-redis': { type: 'boolean', doc: 'no Redis of its own: its keys live on the event-bus binding' },
    postgres: {
      type: 'boolean',
      doc: 'its items in PostgreSQL (binding <name>-db): a table, its first migration (the release task), a pool; no Redis of its own',
    },
    description: { type: 'string', value: '<text>', doc: 'one sentence for its package.json and README' },
    'dry-run': { type: 'boolean', doc: 'print every file it would create or change, and change nothing' },
  },
};

function main() {
  const { values, positionals } = parseCommand(process.argv.slice(2), COMMAND);
  const name = positionals[0];
  if (!name) return usageError(COMMAND, 'name the app (e.g. scripts/new-app notes)');
  if (values.route !== undefined && values['no-route']) return usageError(COMMAND, '--route and --no-route: pick one');
  if (values.redis !== undefined && values['no-redis']) return usageError(COMMAND, '--redis and --no-redis: pick one');
  if (values.postgres && values.redis !== undefined) return usageError(COMMAND, '--postgres and --redis: pick one');
  // The template's worker keeps its counts through the Redis store; with PostgreSQL it has none yet.
  if (values.postgres && (values.worker || values['no-route']))
    return usageError(COMMAND, '--postgres makes an app with a route and no worker (--worker and --no-route are for Redis apps)');
  const bundle = readBundle(ROOT);
  const heroku = parseJsonFile(path.join(ROOT, 'heroku.json'));
  const nameProblem = checkName(name, bundle, heroku);
  if (nameProblem) return nameProblem.usage ? usageError(COMMAND, nameProblem.message) : refuse('new-app', nameProblem.message);

  const route = values['no-route'] ? undefined : typeof values.route === 'string' ? values.route : `/api/${name}`;
  if (route !== undefined) {
    // "." and ".." segments would be routed as written while a client's URL parser removes them.
    if (!/^(\/[a-z0-9._~-]+)+$/.test(route) || route.split('/').some((segment) => segment === '.' || segment === '..')) {
      return usageError(
        COMMAND,
        `--route ${route}: a path like /api/${name} (lowercase letters, digits, . _ ~ -; no trailing /, no . or .. segment)`,
      );
    }
    const owner = bundle.manifest.find((app) => app.publicRoutes.includes(route));
    if (owner) return refuse('new-app', `route ${route} is already routed to ${owner.name} (manifest.yml)`);
    // The router picks the longest matching prefix: under another app's route (the root aside,
    // which holds every path) the new app would answer part of that app's paths.
    for (const app of bundle.manifest) {
      const above = app.publicRoutes.find((path) => path !== '/' && route.startsWith(`${path}/`));
      if (above)
        return refuse(
          'new-app',
          `route ${route} is under ${above}, routed to ${app.name} (manifest.yml): it would take over part of that app's paths`,
        );
    }
    if (bundle.envRoutes?.some((entry) => entry.path === route))
      return refuse('new-app', `route ${route} is already routed (.env.example ROUTES)`);
  }
  const redis = values['no-redis'] || values.postgres ? undefined : typeof values.redis === 'string' ? values.redis : `${name}-db`;
  if (redis !== undefined && !/^[a-z][a-z0-9-]*$/.test(redis))
    return usageError(COMMAND, `--redis ${redis}: a binding name of lowercase letters, digits and hyphens`);
  if (redis !== undefined && ['event-bus', 'service-credentials', 'token-keys'].includes(redis))
    return refuse(
      'new-app',
      `--redis ${redis}: that binding is not a Redis of the app's own (use --no-redis to keep its keys on the event bus)`,
    );

  /** @type {import('../scaffold/template').AppSpec} */
  const spec = {
    name,
    route,
    worker: Boolean(values.worker || values['no-route']),
    redis,
    postgres: values.postgres ? `${name}-db` : undefined,
    description: typeof values.description === 'string' ? values.description : `The ${name} app.`,
  };
  const files = renderApp(spec);
  const pkg = files.find((file) => file.file === `apps/${name}/package.json`);
  const changes = [
    ...files.map(({ file, content }) => ({ file, create: content })),
    ...addChanges(spec, pkg?.content ?? '{}', typeof heroku.pipeline === 'string' ? heroku.pipeline : 'chat', varsFiles()),
  ];
  changes.push(...gatewayEdits(changes));
  const dryRun = Boolean(values['dry-run']);
  applyChanges(ROOT, changes, { dryRun, name: 'new-app', out: (line) => process.stdout.write(`${line}\n`) });
  if (dryRun) return;
  const port = process.env.ROUTER_PORT || '8080';
  process.stdout.write(`${nextSteps({ name, route, redis, port }).join('\n')}\n`);
}

main();
