// @ts-check
/**
 * `scripts/set-env <space> <app> KEY=VALUE... --target cf`: `cf set-env APP NAME VALUE` per
 * variable. cloudfoundry/cli v8.9.1 command/v7/set_env_command.go prints the name, never the
 * value ("Setting env variable NAME for app ..."), and ends with "TIP: Use 'cf restage APP' to
 * ensure your env variable changes take effect": running instances keep their environment
 * until they start again. A restart is enough for variables the app reads at start (a restage
 * is for those the buildpack reads while staging); the printed step hides a secret's value.
 */
const { shownPair } = require('../../lib/mask');
const { CF, targetSpace } = require('./day-two');

/** @type {import('../types').SetEnvTarget} */
const setEnv = {
  ...CF,
  async setEnv(space, app, vars, { shell }) {
    await targetSpace(space, shell);
    for (const [name, value] of Object.entries(vars)) {
      const pair = shownPair(name, value);
      await shell.run({
        argv: ['cf', 'set-env', app, name, value],
        shown: `cf set-env ${app} ${name} ${pair.slice(name.length + 1)}`,
        why: `cf set-env ${app} ${name} failed (see above)`,
      });
    }
    return `they take effect when its instances start again: scripts/restart ${space} ${app} --target cf (rolling)`;
  },
};

module.exports = setEnv;
