// @ts-check
/** Whether a name can be a new app: a Cloud Foundry app name, an npm package name and a Heroku app name part at once. */

/** Names the bundle already uses for something that is not an app (workspaces, process types). */
const RESERVED = ['kit', 'platform', 'e2e', 'bench', 'router', 'web', 'worker', 'release', 'node_modules'];
/** Heroku app names are at most 30 characters: `<pipeline>-<name>-<space>` must fit. */
const HEROKU_MAX = 30;

/**
 * @param {string} name @param {import('./bundle').Bundle} bundle @param {Record<string, unknown>} heroku heroku.json
 * @returns {{ message: string, usage: boolean } | undefined}
 */
function checkName(name, bundle, heroku) {
  // Lowercase for npm and Heroku; a DNS label for the app's own route (<host>-<name>.<domain>).
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
    return {
      usage: true,
      message: `"${name}" is not a valid app name: a lowercase letter, then lowercase letters, digits and single hyphens (a Cloud Foundry app, npm package and Heroku app name)`,
    };
  }
  if (RESERVED.includes(name))
    return { usage: true, message: `"${name}" is reserved: the bundle uses it for a workspace or a process type` };
  const pipeline = typeof heroku.pipeline === 'string' ? heroku.pipeline : 'chat';
  const spaces = Object.keys(heroku).filter((key) => !['//', 'web_urls', 'public_urls', 'gateway', 'pipeline', 'redis_plan'].includes(key));
  const longest = spaces.map((space) => `${pipeline}-${name}-${space}`).sort((a, b) => b.length - a.length)[0];
  if (longest && longest.length > HEROKU_MAX)
    return { usage: true, message: `"${name}" is too long: its Heroku app ${longest} would pass Heroku's ${HEROKU_MAX} characters` };
  if (bundle.appDirs.includes(name)) return { usage: false, message: `${name} is taken: apps/${name}/ exists` };
  if (bundle.manifest.some((app) => app.name === name))
    return { usage: false, message: `${name} is taken: manifest.yml has an app ${name}` };
  const types = bundle.procfile.map((line) => line.type);
  if (types.includes(name) || types.includes(`${name}-worker`))
    return { usage: false, message: `${name} is taken: Procfile has a process type ${types.includes(name) ? name : `${name}-worker`}` };
  return undefined;
}

/** One line on stderr, exit 1. @param {string} command @param {string} message @returns {never} */
function refuse(command, message) {
  process.stderr.write(`${command}: ${message}\n`);
  return process.exit(1);
}

module.exports = { checkName, refuse, RESERVED };
