// @ts-check
/**
 * scripts/build: TypeScript to JavaScript that `node` runs directly (each workspace's
 * dist/), then any workspace's extra build step (the ui's client bundle).
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, run, fail } = require('../lib/run');
const { pruneDist } = require('../lib/prune-dist');
const { parseCommand } = require('@bundle/args');

/** @type {import('@bundle/args').Command} */
const COMMAND = {
  usage: 'usage: scripts/build',
  about:
    "Compiles every workspace's TypeScript to its dist/ (tsc -b; first it removes what tsc wrote there for sources that are gone), then the ui's client bundle.",
  options: {},
};

async function main() {
  parseCommand(process.argv.slice(2), COMMAND);
  for (const folder of ['packages', 'apps']) {
    for (const name of fs.readdirSync(path.join(ROOT, folder))) {
      const removed = pruneDist(path.join(ROOT, folder, name));
      if (removed.length > 0)
        process.stdout.write(`build: removed ${removed.length} files of sources that are gone from ${folder}/${name}/dist\n`);
    }
  }
  process.stdout.write('build: compiling TypeScript (tsc -b tsconfig.build.json)\n');
  if ((await run('tsc', ['-b', 'tsconfig.build.json'])) !== 0) fail('TypeScript build failed (see above)');
  if ((await run('npm', ['run', 'build:client', '--workspaces', '--if-present', '--silent'])) !== 0)
    fail('client build failed (see above)');
  process.stdout.write('build: done\n');
}

void main();
