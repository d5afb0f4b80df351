// @ts-check
/**
 * The local platform (packages/platform, TypeScript) as the scripts use it:
 *
 *   platform(module)  one of its source modules, loaded through tsx (esbuild strips the
 *                     types as node requires each file): the manifest reader, the vars
 *                     files, the internal-route rule, a running space's control channel.
 *                     Nothing is built or written, so a fresh clone, the lint environment and
 *                     two scripts at once all read the same sources. It costs 0.1 to 0.3 s a
 *                     run (tsx keeps what it compiled in the system's temp folder); a build of
 *                     the package costs 5 to 7 s on two cores, and goes stale.
 *   ensureBuilt()     runs scripts/build when a workspace's dist is missing or older than its
 *                     sources (a cheap mtime walk: no compiler when up to date), for what runs
 *                     the apps themselves (scripts/start, the benchmarks): they run dist/.
 *
 * Only after a command has answered --help and checked its arguments: never on that path.
 */
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, run, fail } = require('./run');

const SOURCES = path.join(ROOT, 'packages', 'platform', 'src');

/** @type {((id: string, fromFile: string) => any) | undefined} */
let tsxRequire;

/**
 * A module of the platform's sources, e.g. platform('manifest/read').
 * @param {string} module a path under packages/platform/src, without .ts
 * @returns {any}
 */
function platform(module) {
  if (!tsxRequire) {
    // A namespace keeps the hook to what is required through it: the scripts' own files
    // and their dependencies load as node loads them.
    const { register } = require('tsx/cjs/api');
    tsxRequire = register({ namespace: 'bundle-scripts' }).require;
  }
  return tsxRequire(path.join(SOURCES, `${module}.ts`), __filename);
}

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

/** A module of the platform's build, e.g. built('cli/start'), after ensureBuilt. @param {string} module */
function built(module) {
  return require(path.join(ROOT, 'packages', 'platform', 'dist', `${module}.js`));
}

module.exports = { platform, built, ensureBuilt, staleWorkspaces };
