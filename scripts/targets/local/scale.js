// @ts-check
/**
 * `scripts/scale <space> <app> [-i N] [-m size] [--process type]` on the local platform, live
 * (packages/platform/src/local/restart.ts scaleApp): -i adds instances (each ready before the
 * router sends it anything) or removes them (each out of rotation and drained before it
 * stops), the others untouched; -m replaces every instance, rolling, at the new limit (cf
 * scale -m restarts the app too). The scale is kept in .local/<space>/settings.json: a
 * restart of the space or a push keeps it.
 */
const { LOCAL, ask } = require('./ask');

/** @type {import('../types').ScaleTarget} */
const scale = {
  ...LOCAL,
  async scale(space, request, io) {
    const result = await ask(space, 'POST', '/scale', {
      app: request.app,
      process: request.process,
      ...(request.instances === undefined ? {} : { instances: request.instances }),
      ...(request.memory ? { memoryMb: request.memory.megabytes } : {}),
    });
    /** @type {Array<{ from?: number, to?: number }>} */
    const steps = result.steps;
    const count = (/** @type {number} */ n, /** @type {string} */ what) => (n > 0 ? [`${n} ${what}`] : []);
    const done = [
      ...count(steps.filter((step) => step.from !== undefined && step.to !== undefined).length, 'replaced'),
      ...count(steps.filter((step) => step.from === undefined && step.to !== undefined).length, 'started'),
      ...count(steps.filter((step) => step.to === undefined).length, 'stopped'),
    ];
    io.say(`instances ${done.join(', ') || 'unchanged'} in ${(result.ms / 1000).toFixed(1)}s`);
  },
};

module.exports = scale;
