// @ts-check
/**
 * `scripts/scale <space> <app> --target heroku -i N [--process TYPE]`: `heroku ps:scale
 * TYPE=N -a APP`. npm heroku 11.10.0 dist/commands/ps/scale.js: -a/--app required; each change
 * is TYPE=N, TYPE+N or TYPE-N, with an optional :SIZE (/^([\w-]+)([=+-]\d+)(?::([\w-]+))?$/);
 * the formation changes live (new dynos start, removed ones get SIGTERM and drain). A dyno's
 * memory is its size (eco, basic and standard-1x: 512 MB; standard-2x: 1 GB; heroku ps:type),
 * not a number of megabytes: -m is refused here.
 */
const { HEROKU, herokuApp } = require('./day-two');

/** @type {import('../types').ScaleTarget} */
const scale = {
  ...HEROKU,
  check(space, values) {
    if (values.memory !== undefined)
      return "-m is not for --target heroku: a dyno's memory is its size (heroku ps:type), e.g. standard-2x for 1 GB";
    return HEROKU.check(space);
  },
  async scale(space, { app, process: type, instances }, { shell }) {
    const name = herokuApp(space, app);
    if (instances === undefined) return;
    await shell.run({
      argv: ['heroku', 'ps:scale', `${type}=${instances}`, '-a', name],
      why: `heroku ps:scale ${type}=${instances} -a ${name} failed (see above)`,
    });
  },
};

module.exports = scale;
