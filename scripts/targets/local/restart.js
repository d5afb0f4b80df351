// @ts-check
/**
 * `scripts/restart <space> [app]` on the local platform: the running space replaces every
 * instance of the app (every app), one at a time, each new one ready and in rotation before
 * the old one is drained and stopped (packages/platform/src/local/restart.ts). New instances
 * read the environment afresh: what scripts/set-env stored takes effect here.
 */
const { LOCAL, ask } = require('./ask');

/** @type {import('../types').RestartTarget} */
const restart = {
  ...LOCAL,
  async restart(space, app, io) {
    const result = await ask(space, 'POST', '/restart', app === undefined ? {} : { app });
    io.say(`replaced ${result.steps.length} instance${result.steps.length === 1 ? '' : 's'} in ${(result.ms / 1000).toFixed(1)}s`);
  },
};

module.exports = restart;
