// @ts-check
/**
 * `scripts/create-service <space> <name> --target cf`: `cf service NAME` first (it exits
 * non-zero when there is none), then `cf create-service OFFERING PLAN NAME --wait` with the
 * offering and plan of vars/<space>.yml (redis_offering, redis_plan: what scripts/provision
 * creates each Redis binding with). --wait because brokers create asynchronously and a push
 * cannot bind an instance still in progress (cloudfoundry/cli v8.9.1
 * command/v7/create_service_command.go: --wait/-w "Wait for the operation to complete").
 * Nothing restarts: the next push of an app that binds NAME binds it.
 */
const fs = require('node:fs');
const { readVars, varsFile } = require('../../lib/manifest');
const { CF, targetSpace } = require('./day-two');

/** @type {import('../types').CreateServiceTarget} */
const createService = {
  ...CF,
  check(space) {
    if (!fs.existsSync(varsFile(space))) return `unknown space "${space}": there is no vars/${space}.yml`;
    const vars = readVars(space);
    if (typeof vars.redis_offering !== 'string' || typeof vars.redis_plan !== 'string')
      return `vars/${space}.yml needs redis_offering and redis_plan (the offering and plan of cf marketplace)`;
    return undefined;
  },
  async createService(space, name, { shell }) {
    await targetSpace(space, shell);
    const found = await shell.probe(['cf', 'service', name]);
    if (found && found.code === 0) return 'exists';
    const vars = readVars(space);
    await shell.run({
      argv: ['cf', 'create-service', String(vars.redis_offering), String(vars.redis_plan), name, '--wait'],
      why: `cf create-service ${name} failed (see above)`,
    });
    return 'created';
  },
};

module.exports = createService;
