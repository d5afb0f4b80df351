// @ts-check
/** scripts/start [space] [--json] [--detach] [--var name=value]: see packages/platform/README.md. */
process.env.PLATFORM_T0 = process.env.PLATFORM_T0 ?? String(Date.now());
const { ensureBuilt, platformCli } = require('./platform');

void ensureBuilt().then(() => platformCli('start').main(process.argv.slice(2)));
