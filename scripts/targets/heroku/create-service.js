// @ts-check
/**
 * `scripts/create-service <space> <name> --target heroku`: a Redis add-on of its own for the
 * binding `name` (heroku.json redis_plan), named <pipeline>-<name>-<space>, on the first app
 * of the manifest that binds it, attached as <NAME> (so the app reads <NAME>_URL, the way the
 * kit finds a binding), then attached the same way to every other app that binds it.
 *
 * npm heroku 11.10.0 dist/commands/addons/create.js: -a/--app required, --name "name for the
 * add-on resource", --as "name for the initial add-on attachment", --wait "watch add-on
 * creation status and exit when complete"; addons/attach.js: the add-on as argument, -a, --as.
 * `heroku addons:info ADDON` exits non-zero when there is none (checked first), and a binding
 * scripts/provision attached already shows as <NAME>_URL in `heroku config -a APP --json`.
 */
const fs = require('node:fs');
const { varsFile, manifestFor } = require('../../lib/manifest');
const { Failure } = require('../../lib/failure');
const { readConfig, appsOf } = require('./apps');
const { HEROKU } = require('./day-two');

/** NOTES_DB for "notes-db": the kit reads <BINDING>_URL. @param {string} binding */
const attachment = (binding) => binding.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/** heroku config --json's object, or {} when it is not one. @param {string} output @returns {Record<string, unknown>} */
function parseConfig(output) {
  try {
    const parsed = JSON.parse(output);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** @type {import('../types').CreateServiceTarget} */
const createService = {
  ...HEROKU,
  async createService(space, name, { shell }) {
    const settings = readConfig();
    const addon = `${String(settings.pipeline ?? 'chat')}-${name}-${space}`;
    const found = await shell.probe(['heroku', 'addons:info', addon]);
    if (found && found.code === 0) return 'exists';
    const apps = appsOf(space);
    const binders = fs.existsSync(varsFile(space))
      ? manifestFor(space)
          .apps.filter((app) => app.services.includes(name) && apps[app.name])
          .map((app) => /** @type {string} */ (apps[app.name]))
      : [];
    if (binders.length === 0)
      throw new Failure(
        `no app of manifest.yml with a Heroku app in ${space} binds ${name}: an add-on lives on an app, so bind it in manifest.yml first`,
      );
    const [first, ...others] = binders;
    // scripts/provision attaches the space's shared Redis under each binding the manifest had
    // then: such a binding exists already, under its <NAME>_URL.
    const config = await shell.probe(['heroku', 'config', '-a', /** @type {string} */ (first), '--json']);
    if (config && config.code === 0 && `${attachment(name)}_URL` in parseConfig(config.output)) return 'exists';
    await shell.run({
      argv: [
        'heroku',
        'addons:create',
        String(settings.redis_plan ?? 'heroku-redis:mini'),
        '-a',
        /** @type {string} */ (first),
        '--name',
        addon,
        '--as',
        attachment(name),
        '--wait',
      ],
      why: `heroku addons:create ${addon} failed (see above)`,
    });
    for (const app of others)
      await shell.run({
        argv: ['heroku', 'addons:attach', addon, '-a', app, '--as', attachment(name)],
        why: `heroku addons:attach ${addon} -a ${app} failed (see above)`,
      });
    return 'created';
  },
};

module.exports = createService;
