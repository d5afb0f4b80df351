// @ts-check
/** scripts/status: see packages/platform/README.md. */
const { ensureBuilt, platformCli } = require('./platform');

void ensureBuilt({ only: ['packages/platform'] }).then(() => platformCli('status').main(process.argv.slice(2)));
