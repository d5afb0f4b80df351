// @ts-check
/**
 * Where the pipeline's journeys find a local space: the platform's router on this machine
 * (http://127.0.0.1:<router port>), each app's /version through its own host name
 * (`<host>-{app}.localhost`, as a Host header). The space is started first when it is not running.
 */
const fs = require('node:fs');
const { readVars, varsFile } = require('../../lib/manifest');
const { ensureRunning, routerPort, runningState, control } = require('./space');

/** @type {import('../types').JourneysTarget} */
const journeys = {
  async ensure(space) {
    if (!fs.existsSync(varsFile(space))) return `unknown space "${space}": there is no vars/${space}.yml`;
    return ensureRunning(space, (line) => process.stdout.write(`pipeline: ${line}\n`));
  },
  async where(space, given) {
    if (given.base) return { base: given.base, args: given.appUrlArgs };
    const args = given.appUrlArgs.length > 0 ? given.appUrlArgs : ['--app-host', `${readVars(space).host}-{app}.localhost`];
    return { base: `http://127.0.0.1:${routerPort(space)}`, args };
  },
  // The running space's instances (each process of each app) and their memory, as scripts/status shows them.
  async leftRunning(space) {
    if (!runningState(space)) return undefined;
    const { body } = await control(space, 'GET', '/status').catch(() => ({ body: undefined }));
    /** @type {{ pid?: number, memory_mb?: number }[]} */
    const instances = (body?.apps ?? []).flatMap(
      (/** @type {{ processes: { details: { pid?: number, memory_mb?: number }[] }[] }} */ app) =>
        app.processes.flatMap((process) => process.details.filter((instance) => instance.pid !== undefined)),
    );
    return {
      instances: instances.length,
      memoryMb: instances.reduce((sum, instance) => sum + (instance.memory_mb ?? 0), 0),
      stop: ['scripts/stop', space],
    };
  },
};

module.exports = journeys;
