// @ts-check
/**
 * scripts/remove-app <name>: the inverse of scripts/new-app. Removes apps/<name>/ and
 * heroku/<name>.Procfile and takes the app out of every deploy file, keeping their
 * comments and order; a Redis or PostgreSQL binding only it used leaves the local marketplace
 * (and with the last PostgreSQL app, the vars' offering and plan and heroku.json's add-on plan). Refuses
 * while another app's config names it (a *_URL at its route or named after it).
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('../lib/run');
const { parseCommand, usageError } = require('@bundle/args');
const { readBundle } = require('../scaffold/bundle');
const { removeChanges } = require('../scaffold/edits');
const { applyChanges } = require('../scaffold/apply');
const { gatewayChanges, oneLine } = require('../targets/heroku/gateway/files');
const { refuse } = require('../scaffold/names');
const { parseYamlFile } = require('../lib/project-files');
const { postgresBindings } = require('../lib/service-types');

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/remove-app <name> [--dry-run]',
  about: 'Removes an app and its lines in every deploy file (the inverse of scripts/new-app).',
  positionals: ['<name>  the app (an app of manifest.yml)'],
  maxPositionals: 1,
  name: 'remove-app',
  options: { 'dry-run': { type: 'boolean', doc: 'print every file it would remove or change, and change nothing' } },
};

/**
 * Who names the app in their config: another manifest app's env, or .env.example, with a
 * *_URL named after it (USERS_URL) or pointing at one of its public routes or its own host.
 * @param {string} name @param {import('../scaffold/bundle').Bundle} bundle @returns {string | undefined}
 */
function namedBy(name, bundle) {
  const app = bundle.manifest.find((m) => m.name === name);
  const routes = (app?.publicRoutes ?? []).filter((route) => route !== '/');
  const variable = `${name.toUpperCase().replaceAll('-', '_')}_URL`;
  /** @param {string} key @param {string} value */
  const points = (key, value) =>
    key.endsWith('_URL') &&
    (key === variable ||
      value.includes(`{port:${name}}`) ||
      value.includes(`((host))-${name}.`) ||
      routes.some((route) => new RegExp(`${route.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:[/?]|$)`).test(value)));
  /** @type {{ applications?: { name: string, env?: Record<string, unknown> }[] }} */
  const manifest = parseYamlFile(path.join(ROOT, 'manifest.yml'));
  for (const other of manifest.applications ?? []) {
    if (other.name === name) continue;
    for (const [key, value] of Object.entries(other.env ?? {}))
      if (points(key, String(value))) return `manifest.yml: ${other.name}'s ${key} (${String(value)}) points at ${name}`;
  }
  const envFile = path.join(ROOT, '.env.example');
  for (const line of fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8').split('\n') : []) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match && points(String(match[1]), String(match[2]))) return `.env.example: ${match[1]} (${match[2]}) points at ${name}`;
  }
  return undefined;
}

function main() {
  const { values, positionals } = parseCommand(process.argv.slice(2), COMMAND);
  const name = positionals[0];
  if (!name) return usageError(COMMAND, 'name the app to remove');
  const bundle = readBundle(ROOT);
  const app = bundle.manifest.find((m) => m.name === name);
  if (!app && !bundle.appDirs.includes(name))
    return refuse('remove-app', `there is no app ${name} (apps: ${bundle.manifest.map((m) => m.name).join(', ')})`);
  const naming = namedBy(name, bundle);
  if (naming) return refuse('remove-app', `${name} is still used: ${naming}; change that first`);
  const others = bundle.manifest.filter((m) => m.name !== name).flatMap((m) => m.services);
  const postgres = postgresBindings(ROOT);
  const changes = removeChanges(name, {
    bindings: (app?.services ?? []).filter((service) => !others.includes(service)),
    files: [`apps/${name}`, `heroku/${name}.Procfile`],
    postgres: {
      postgres: (app?.services ?? []).filter((service) => postgres.has(service)),
      postgresLeft: others.some((service) => postgres.has(service)),
      varsFiles: fs.existsSync(path.join(ROOT, 'vars'))
        ? fs
            .readdirSync(path.join(ROOT, 'vars'))
            .filter((file) => file.endsWith('.yml'))
            .map((file) => `vars/${file}`)
        : [],
    },
  });
  // The Heroku gateway loses the app's routes (generated from the manifest the changes write).
  let gateway;
  try {
    gateway = gatewayChanges(ROOT, changes);
  } catch (error) {
    return refuse('remove-app', oneLine(error));
  }
  changes.push(...gateway);
  applyChanges(ROOT, changes, { dryRun: Boolean(values['dry-run']), name: 'remove-app', out: (line) => process.stdout.write(`${line}\n`) });
}

main();
