// @ts-check
/**
 * Shared by scripts/start, stop, status and logs: the local platform is TypeScript built
 * to packages/platform/dist. `ensureBuilt` runs scripts/build when any workspace's dist is
 * missing or older than its sources (a cheap mtime walk: no compiler when up to date).
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, run, fail } = require('./run');

/** @param {string} dir @returns {number} newest mtime under dir (0 when missing) */
function newest(dir) {
  let latest = 0;
  /** @param {string} current */
  const walk = (current) => {
    let entries;
    try {
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else latest = Math.max(latest, fs.statSync(full).mtimeMs);
    }
  };
  walk(dir);
  return latest;
}

/** @param {string} file */
function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** @param {{ only?: string[] }} [options] workspaces (e.g. ['packages/platform']) or all */
function staleWorkspaces(options = {}) {
  const all = ['packages', 'apps'].flatMap((folder) =>
    fs
      .readdirSync(path.join(ROOT, folder))
      .map((name) => `${folder}/${name}`)
      .filter((dir) => fs.existsSync(path.join(ROOT, dir, 'tsconfig.build.json'))),
  );
  return (options.only ?? all).filter((dir) => {
    const built = mtime(path.join(ROOT, dir, 'dist', '.tsbuildinfo'));
    return built === 0 || newest(path.join(ROOT, dir, 'src')) > built;
  });
}

/** @param {{ only?: string[] }} [options] */
async function ensureBuilt(options) {
  const stale = staleWorkspaces(options);
  if (stale.length === 0) return;
  process.stdout.write(`build: ${stale.join(', ')} changed since the last build\n`);
  if ((await run(path.join(ROOT, 'scripts', 'build'), [])) !== 0) fail('build failed (see above)');
}

/** @param {string} command */
function platformCli(command) {
  return require(path.join(ROOT, 'packages', 'platform', 'dist', 'cli', `${command}.js`));
}

module.exports = { ensureBuilt, staleWorkspaces, platformCli };
