// @ts-check
/**
 * `scripts/push <space> --target local`: after the build, asks the running space's
 * supervisor for a rolling push of that build at the new version (POST /push on its
 * control socket), like `cf push --strategy rolling`. The supervisor makes a release of it,
 * a droplet under .local/<space>/releases/<version>/ that the new instances run from, and
 * runs each app's release task (dist/release.js) from it before any of them starts. A new instance that never gets
 * ready stops the push and the old instances keep serving. Then every app must answer the
 * version on /version through the space's router (each app's own host name).
 */
const fs = require('node:fs');
const { varsFile, ownRoutes, manifestFor } = require('../../lib/manifest');
const { control, runningState, routerPort } = require('./space');

/** @typedef {import('../types').PushTarget} PushTarget */

/**
 * A service the manifest binds and the running space does not provide yet (scripts/new-app
 * added notes-db to the marketplace) is created first, as scripts/create-service does, and
 * said: the space need not restart. Only names the marketplace knows: any other stays the
 * push's refusal, which names scripts/create-service.
 * @param {string} space @param {(line: string) => void} say
 * @param {string[]} [names] the services to have (default: every one manifest.yml binds)
 */
async function createMissingServices(space, say, names = [...new Set(manifestFor(space).apps.flatMap((app) => app.services))]) {
  for (const name of names) {
    const answer = await control(space, 'POST', '/services', { name, knownOnly: true });
    if (answer.status === 200 && answer.body?.result === 'created')
      say(`created service ${name}: space ${space} binds it from now on (as scripts/create-service ${space} ${name} does)`);
  }
}

/** @type {PushTarget} */
const push = {
  check(space) {
    return fs.existsSync(varsFile(space)) ? undefined : `unknown space "${space}": there is no vars/${space}.yml`;
  },
  preflight: () => undefined,
  async ready(space) {
    return runningState(space) ? undefined : `space ${space} is not running: start it with scripts/start ${space}`;
  },
  builds: () => true,
  steps: () => [],
  async push(space, version, say) {
    say(`rolling push of ${version} to space ${space}`);
    let answer;
    try {
      await createMissingServices(space, say);
      answer = await control(space, 'POST', '/push', { version });
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    if (answer.status !== 200)
      return `the rolling push to ${space} failed, the old instances keep serving: ${answer.body?.error?.message ?? `HTTP ${answer.status}`}`;
    const release = answer.body?.release
      ? `release ${answer.body.release} (a droplet in .local/${space}/releases/${answer.body.release}): `
      : '';
    say(`${release}replaced ${answer.body?.steps?.length ?? '?'} instances in ${((answer.body?.ms ?? 0) / 1000).toFixed(1)}s`);
    return undefined;
  },
  async versionTargets(space) {
    const port = routerPort(space);
    return ownRoutes(space, { domain: 'localhost' }).map(({ app, route }) => ({ app, url: `http://127.0.0.1:${port}`, host: route }));
  },
};

module.exports = push;
module.exports.createMissingServices = createMissingServices;
