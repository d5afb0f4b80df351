// @ts-check
/** scripts/stop: see packages/platform/README.md. */
const { ensureBuilt, platformCli } = require('./platform');

void ensureBuilt({ only: ['packages/platform'] }).then(() => platformCli('stop').main(process.argv.slice(2)));
