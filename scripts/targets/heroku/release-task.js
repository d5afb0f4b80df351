// @ts-check
/**
 * Heroku release phase (heroku/<app>.Procfile `release:`): runs before a new release of
 * <app> takes traffic, and a failure keeps the old release serving. An app that needs a
 * one-off task (a data migration, a key rotation step) ships it as src/release.ts, built to
 * dist/release.js; apps without one pass straight through.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, run, fail } = require('../../lib/run');

async function main() {
  const usage =
    'usage: node scripts/targets/heroku/release-task.js <app>   (Heroku release phase: runs apps/<app>/dist/release.js when the app has one)';
  const app = process.argv[2];
  if (app === '-h' || app === '--help') return void process.stdout.write(`${usage}\n`);
  if (app === undefined) fail(`which app?\n${usage}`, 2);
  // A name, never a path: apps/../x would reach outside apps/.
  if (!/^[a-z0-9][a-z0-9-]*$/.test(app) || !fs.existsSync(path.join(ROOT, 'apps', app))) fail(`no app ${app} in apps/`, 2);
  const task = path.join(ROOT, 'apps', app, 'dist', 'release.js');
  if (!fs.existsSync(task)) {
    process.stdout.write(`release: ${app} has no release task\n`);
    return;
  }
  process.stdout.write(`release: running ${path.relative(ROOT, task)}\n`);
  const code = await run('node', [task]);
  if (code !== 0) fail(`${app} release task failed with exit ${code}; the previous release keeps serving`);
}

void main();
