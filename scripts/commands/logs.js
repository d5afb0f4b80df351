// @ts-check
/** scripts/logs: see packages/platform/README.md. */
const { ensureBuilt, platformCli } = require('./platform');

void ensureBuilt({ only: ['packages/platform'] }).then(() => platformCli('logs').main(process.argv.slice(2)));
