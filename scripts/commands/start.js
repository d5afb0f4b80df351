// @ts-check
/** scripts/start [space] [--json] [--detach] [--var name=value]... (scripts/start --help): see packages/platform/README.md. */
process.env.PLATFORM_T0 = process.env.PLATFORM_T0 ?? String(Date.now());
const { ensureBuilt, platformCli } = require('./platform');

const argv = process.argv.slice(2);
void ensureBuilt({ only: ['packages/platform'] }).then(async () => {
  // --help and bad arguments answer before the apps are built (which can take a minute).
  platformCli('start').parse(argv);
  await ensureBuilt();
  await platformCli('start').main(argv);
});
