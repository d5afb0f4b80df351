// @ts-check
/**
 * `scripts/set-env <space> <app> KEY=VALUE...` on the local platform: stored in
 * .local/<space>/settings.json (mode 600) for the app's next start, as cf set-env: running
 * instances keep theirs; scripts/restart, a push or the space's next start take it.
 */
const { LOCAL, ask } = require('./ask');

/** @type {import('../types').SetEnvTarget} */
const setEnv = {
  ...LOCAL,
  async setEnv(space, app, vars) {
    await ask(space, 'POST', '/env', { app, vars });
    return `they take effect at the next restart: scripts/restart ${space} ${app}`;
  },
};

module.exports = setEnv;
